// API tokens: issued once in clear, stored as hashes, looked up by hash on every request.
import { createHash, randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { DataSource, EntityManager, Repository } from 'typeorm';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../../lib/errors';
import { Account } from './account.entity';
import { ApiToken, Scope } from './api-token.entity';
import { isAdmin, User } from './user.entity';
import { ViewerChanges, type ViewerChange } from './viewer-changes';

export interface Viewer {
  user: User;
  account: Account;
  tokenId: string;
  scopes: ReadonlySet<Scope>;
}

export type AuthFailure = 'missing' | 'malformed' | 'unknown' | 'revoked';
export type AuthResult = { viewer: Viewer } | { failure: AuthFailure };

const TOKEN_PREFIX = 'sn_';
/** Tokens remembered per process at most; the least recently used goes first. */
const MAX_CACHED_TOKENS = 10_000;
/** lastUsedAt is written at most this often per token, so authentication stays a read on the hot path. */
const LAST_USED_RESOLUTION_MS = 60_000;

export function hashToken(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** The token of an `Authorization: Bearer sn_…` header, or null when the header is not one. */
function tokenSecret(authorization: string): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match || !match[1].startsWith(TOKEN_PREFIX) || match[1].length > 200) return null;
  return match[1];
}

export class TokensService {
  private readonly tokens: Repository<ApiToken>;
  /**
   * Viewers of recently authenticated tokens (see Config.authCacheMs), by the token as presented: a remembered token
   * is not hashed again. The process holds the tokens of its requests anyway; this keeps them for the cache window.
   */
  private readonly recent: LRUCache<string, Viewer>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly cacheMs = 0,
    /** Where changes to tokens, users and roles are announced, and heard from other instances. */
    readonly changes = new ViewerChanges(null),
  ) {
    this.tokens = dataSource.getRepository(ApiToken);
    this.recent = new LRUCache({ max: MAX_CACHED_TOKENS, ttl: cacheMs });
    changes.listen((change) => this.forget(change));
  }

  /** After a change to a token, or to a user's role or existence, has committed: tells every instance. */
  viewerChanged(change: ViewerChange): Promise<void> {
    return this.changes.announce(change);
  }

  /** Drops the remembered viewers a change concerns. */
  private forget(change: ViewerChange): void {
    // Collected first: deleting while iterating an LRUCache can skip or repeat entries.
    const concerned = [...this.recent.entries()].filter(([, viewer]) =>
      'tokenId' in change ? viewer.tokenId === change.tokenId : viewer.user.id === change.userId,
    );
    for (const [secret] of concerned) this.recent.delete(secret);
  }

  async create(
    user: User,
    name: string,
    scopes: readonly Scope[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ token: ApiToken; secret: string }> {
    if (scopes.length === 0) throw new BadUserInputError('name at least one scope', 'scopes');
    const secret = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const token = manager.create(ApiToken, {
      userId: user.id,
      name,
      scopes: [...new Set(scopes)],
      tokenHash: hashToken(secret),
      tokenPrefix: secret.slice(0, 10),
    });
    await manager.insert(ApiToken, token);
    return { token, secret };
  }

  /** A token issues tokens with at most its own scopes, so a narrow token cannot mint a broader one. */
  async createForViewer(
    viewer: Viewer,
    name: string,
    scopes: readonly Scope[],
  ): Promise<{ token: ApiToken; secret: string }> {
    const trimmedName = name.trim();
    if (!trimmedName) throw new BadUserInputError('must not be blank', 'input.name');
    const missing = scopes.filter((scope) => !viewer.scopes.has(scope));
    if (missing.length) {
      throw new ForbiddenError(
        `A token can only issue tokens within its own scopes; this one lacks ${missing.join(', ')}`,
      );
    }
    return this.create(viewer.user, trimmedName, scopes);
  }

  /** Whether this process authenticated the token lately, so it is known good without a lookup. */
  remembers(authorization: string): boolean {
    const secret = tokenSecret(authorization);
    return secret !== null && this.recent.has(secret);
  }

  /** `cached: false` looks the token up even when it was authenticated within authCacheMs. */
  async authenticate(
    authorization: string | undefined,
    { cached = true }: { cached?: boolean } = {},
  ): Promise<AuthResult> {
    if (!authorization) return { failure: 'missing' };
    const secret = tokenSecret(authorization);
    if (secret === null) return { failure: 'malformed' };
    const now = Date.now();
    const remembered = cached ? this.recent.get(secret) : undefined;
    if (remembered) return { viewer: remembered };
    const hash = hashToken(secret);
    const row = await this.tokens
      .createQueryBuilder('token')
      .innerJoinAndMapOne('token.user', User, 'user', 'user.id = token.userId')
      .innerJoinAndMapOne('token.account', Account, 'account', 'account.id = user.accountId')
      .where('token.tokenHash = :hash', { hash })
      .getOne();
    if (!row) return { failure: 'unknown' };
    if (row.revokedAt) return { failure: 'revoked' };
    const joined = row as ApiToken & { user: User; account: Account };
    if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.tokens.update({ id: row.id }, { lastUsedAt: new Date(now) });
    }
    const viewer = {
      user: joined.user,
      account: joined.account,
      tokenId: row.id,
      scopes: new Set(row.scopes),
    };
    if (this.cacheMs > 0) this.recent.set(secret, viewer);
    return { viewer };
  }

  listForUser(userId: string): Promise<ApiToken[]> {
    return this.tokens.find({ where: { userId }, order: { createdAt: 'DESC' } });
  }

  /** Users revoke their own tokens; OWNER and ADMIN revoke any token of their account. */
  async revoke(viewer: Viewer, tokenId: string): Promise<ApiToken> {
    const token = await this.tokens
      .createQueryBuilder('token')
      .innerJoin(User, 'user', 'user.id = token.userId')
      .where('token.id = :tokenId AND user.accountId = :accountId', { tokenId, accountId: viewer.account.id })
      .getOne();
    if (!token || (token.userId !== viewer.user.id && !isAdmin(viewer.user.role)))
      throw new NotFoundError('API token');
    if (!token.revokedAt) {
      token.revokedAt = new Date();
      await this.tokens.update({ id: token.id }, { revokedAt: token.revokedAt });
      await this.viewerChanged({ tokenId: token.id });
    }
    return token;
  }
}
