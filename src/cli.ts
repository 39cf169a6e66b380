#!/usr/bin/env node
// The operators' command line: migrate, bootstrap an account, issue tokens, re-encrypt stored secrets; and for
// producers, publish an event through the HTTP API.
import 'reflect-metadata';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './db/data-source';
import { AppError } from './lib/errors';
import { loadSecretBox, SecretDecryptionError } from './lib/secret-box';
import { AccountsService } from './modules/accounts/accounts.service';
import { ALL_SCOPES, parseScope, type Scope } from './modules/accounts/api-token.entity';
import { TokensService } from './modules/accounts/tokens.service';
import { reencryptStoredSecrets } from './modules/channels/stored-secrets';
import { publish, PublishError, PublishUsageError } from './publish-command';

const usage = `Usage: stack-notifications <command> [options]

Commands:
  migrate                                         apply pending database migrations
  bootstrap --account <name> --email <email> [--name <name>] [--json]
                                                  create an account with an OWNER and a token with all scopes
  token create --email <email> [--account <name>] [--scopes a,b] [--name <name>] [--json]
                                                  issue a token for an existing user (scopes: ${ALL_SCOPES.join(', ')})
  secrets rotate [--json]                         re-encrypt every stored secret with SECRET_KEY, reading them
                                                  with SECRET_KEY or SECRET_KEY_PREVIOUS, in one transaction
  publish --stack <id> --event <type> [--data <json>|@<file>|-] [--idempotency-key <key>]
          [--occurred-at <ISO 8601>] [--retries <n>] [--timeout <seconds>] [--json]
                                                  publish an event through the HTTP API (event types as keys,
                                                  e.g. job.fail, or as enum names, e.g. JOB_FAIL); retried on
                                                  network errors, 429 and 5xx with the same idempotency key

The database comes from DATABASE_URL (default sqlite:./data/notifications.sqlite); the encryption key from
SECRET_KEY (outside production, DATA_DIR/secret.key when it is not set). publish needs no database: it calls
STACK_NOTIFICATIONS_URL (default http://localhost:4000/graphql) with the token in STACK_NOTIFICATIONS_TOKEN.
Exit code 0 only on success.`;

class UsageError extends Error {}

function required(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || !value.trim()) throw new UsageError(`--${name} is required`);
  return value;
}

function parseScopes(value: string | undefined): Scope[] {
  if (!value) return [...ALL_SCOPES];
  return value.split(',').map((item) => {
    const scope = parseScope(item.trim());
    if (!scope) throw new UsageError(`unknown scope "${item}" (known: ${ALL_SCOPES.join(', ')})`);
    return scope;
  });
}

async function run(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      account: { type: 'string' },
      email: { type: 'string' },
      name: { type: 'string' },
      scopes: { type: 'string' },
      stack: { type: 'string' },
      event: { type: 'string' },
      data: { type: 'string' },
      'idempotency-key': { type: 'string' },
      'occurred-at': { type: 'string' },
      retries: { type: 'string' },
      timeout: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const command = positionals.join(' ');
  if (values.help || !command) {
    console.log(usage);
    return;
  }
  if (!['migrate', 'bootstrap', 'token create', 'secrets rotate', 'publish'].includes(command))
    throw new UsageError(`unknown command "${command}"`);
  if (command === 'publish') return publishCommand(values);

  const config = loadConfig();
  const dataSource = await openDatabase(config.database, { migrate: true });
  try {
    const tokens = new TokensService(dataSource);
    const accounts = new AccountsService(dataSource, tokens);
    if (command === 'migrate') {
      console.log(values.json ? JSON.stringify({ migrated: true }) : 'Database is up to date.');
    } else if (command === 'secrets rotate') {
      const result = await reencryptStoredSecrets(dataSource, loadSecretBox(config));
      console.log(
        values.json
          ? JSON.stringify(result)
          : `Re-encrypted ${result.rewritten} stored secret(s) with key ${result.keyId}; ` +
              `${result.unchanged} already used it.`,
      );
    } else if (command === 'bootstrap') {
      const result = await accounts.bootstrap(
        required(values, 'account'),
        required(values, 'email'),
        values.name,
      );
      const output = { accountId: result.account.id, userId: result.user.id, token: result.secret };
      console.log(
        values.json
          ? JSON.stringify(output)
          : `Created account "${result.account.name}" with OWNER ${result.user.email}.\nToken (shown once): ${result.secret}`,
      );
    } else {
      const email = required(values, 'email');
      let users = await accounts.findUsersByEmail(email);
      if (values.account) users = users.filter((user) => user.account.name === values.account);
      if (users.length === 0)
        throw new UsageError(`no user ${email}${values.account ? ` in account ${values.account}` : ''}`);
      if (users.length > 1) throw new UsageError(`${email} is in several accounts: add --account <name>`);
      const scopes = parseScopes(values.scopes);
      const { token, secret } = await tokens.create(users[0], values.name ?? 'cli', scopes);
      const output = { tokenId: token.id, userId: users[0].id, scopes: token.scopes, token: secret };
      console.log(values.json ? JSON.stringify(output) : `Token (shown once): ${secret}`);
    }
  } finally {
    await dataSource.destroy();
  }
}

function wholeNumber(values: Record<string, unknown>, name: string, fallback: number, max: number): number {
  const value = values[name];
  if (value === undefined) return fallback;
  const number = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || number > max)
    throw new UsageError(`--${name} must be a whole number from 0 to ${max}`);
  return number;
}

/** --data as given: JSON text, `@file`, or `-` for standard input; `{}` when omitted. */
function dataText(value: string | undefined): string {
  if (value === undefined) return '{}';
  if (value === '-') return fs.readFileSync(0, 'utf8');
  if (value.startsWith('@')) {
    try {
      return fs.readFileSync(value.slice(1), 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read ${value.slice(1)}: ${(error as Error).message}`);
    }
  }
  return value;
}

async function publishCommand(values: Record<string, unknown>): Promise<void> {
  const json = values.json === true;
  try {
    const result = await publish({
      url: process.env.STACK_NOTIFICATIONS_URL || 'http://localhost:4000/graphql',
      token: process.env.STACK_NOTIFICATIONS_TOKEN ?? '',
      stackId: required(values, 'stack'),
      event: required(values, 'event'),
      data: dataText(values.data as string | undefined),
      idempotencyKey: values['idempotency-key'] as string | undefined,
      occurredAt: values['occurred-at'] as string | undefined,
      retries: wholeNumber(values, 'retries', 3, 10),
      timeoutMs: wholeNumber(values, 'timeout', 10, 300) * 1000,
    });
    console.log(
      json
        ? JSON.stringify(result)
        : `Published ${result.eventType} to stack ${result.stackId}: notification ${result.notificationId}`,
    );
  } catch (error) {
    if (
      !json ||
      !(error instanceof PublishError || error instanceof PublishUsageError || error instanceof UsageError)
    )
      throw error;
    const code = error instanceof PublishError ? error.code : 'USAGE';
    const attempts = error instanceof PublishError ? error.attempts : 0;
    console.log(JSON.stringify({ error: { message: error.message, code, attempts } }));
    process.exitCode = 1;
  }
}

run(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof PublishError) {
    console.error(
      `Error: ${error.message} (${error.code}${error.attempts > 1 ? `, after ${error.attempts} attempts` : ''})`,
    );
  } else if (error instanceof PublishUsageError) {
    console.error(`Error: ${error.message}`);
  } else if (error instanceof SecretDecryptionError) {
    console.error(`Error: ${error.message}. Nothing was rewritten.`);
  } else if (error instanceof UsageError || error instanceof ConfigError || error instanceof AppError) {
    console.error(`Error: ${error.message}`);
    if (error instanceof UsageError) console.error(`\n${usage}`);
  } else {
    console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exitCode = 1;
});
