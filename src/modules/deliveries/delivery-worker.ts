// Claims due outbox rows under a lease, sends each through its channel's transport, and records the attempt.
// At-least-once: a row whose worker died is claimed again once its lease has expired.
//
// The database work goes in batches: one transaction (one commit) records the attempts that ended since the last one
// and claims as many due rows as that frees slots for, reading what sending them needs (notification, stack, target)
// in the same few queries. A slot is free once its delivery's answer is in; its attempt is recorded in the
// transaction that claims the slot's next delivery, so no more than DELIVERY_CONCURRENCY deliveries are ever sent and
// not yet recorded (what a crash may send twice).
//
// An attempt whose outcome the database does not take (it cannot be reached) is kept (outcome-backlog.ts) and
// written again with backoff; meanwhile the worker claims nothing, so it never takes one of those rows again. The
// write is conditional on the worker's lease, as every record is: only if the outage outlasts the lease and another
// worker took the row meanwhile is the outcome dropped (and that worker sends it again).
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { DeliveryConfig } from '../../config';
import { isTransientDatabaseError } from '../../db/transient-errors';
import type { Clock } from '../../lib/clock';
import type { Logger } from '../../lib/logger';
import { ThrottledLog } from '../../lib/throttled-log';
import { SecretDecryptionError } from '../../lib/secret-box';
import type { Metrics } from '../../metrics';
import type { DeliveryOutcome } from '../../transports/transport';
import type { ChannelsService } from '../channels/channels.service';
import { isSharedChannel } from '../events/event-types';
import {
  type AttemptRecord,
  claimDue,
  type ClaimedDelivery,
  LeaseLostInBatch,
  recordAttempts,
} from './delivery-batch';
import { Delivery, DeliveryStatus } from './delivery.entity';
import { leaseWithoutFlushWait } from './outbox.repository';
import { OutcomeBacklog } from './outcome-backlog';
import { RetryPolicy } from './retry-policy';
import {
  attachMessageTemplates,
  type DeliveryTransports,
  resolveTargets,
  sendTo,
  type TargetLookup,
  templatesFor,
} from './targets';

export type { ClaimedDelivery } from './delivery-batch';

export interface DeliveryWorkerOptions {
  dataSource: DataSource;
  metrics: Metrics;
  transports: DeliveryTransports;
  channels: ChannelsService;
  config: DeliveryConfig;
  publicUrl: string;
  log: Logger;
  /** When deliveries are due, leases end and retries are scheduled. */
  clock: Clock;
}

const ERROR_TEXT_LIMIT = 2000;
/** How long free slots wait for more to free up (up to half of them) before they are claimed anyway. */
const CLAIM_BATCH_WAIT_MS = 20;
/** How long a channel this worker saw succeed counts as healthy without recording each success on it. */
const HEALTH_RECHECK_MS = 10_000;
/** How often an unreachable database is logged (with the number of failures since the last line). */
const DATABASE_ERROR_LOG_INTERVAL_MS = 10_000;
/** Outcomes kept for the database per slot; about one per slot is ever kept, as nothing is claimed meanwhile. */
const BACKLOG_PER_SLOT = 4;

/**
 * Text a receiver chose, as PostgreSQL's text columns take it: they refuse NUL, and a refused insert would leave the
 * attempt unrecorded and the delivery to be sent again and again.
 */
function storableText(text: string | null): string | null {
  return text === null || !text.includes('\u0000') ? text : text.replaceAll('\u0000', '\uFFFD');
}

function failedBeforeSending(retryable: boolean, error: string): DeliveryOutcome {
  return { ok: false, retryable, statusCode: null, responseExcerpt: null, error, durationMs: 0 };
}

/** A claimed delivery whose attempt is over, waiting for the next batch to record it. */
interface Finished {
  claimed: ClaimedDelivery;
  at: Date;
  outcome: DeliveryOutcome;
  record: AttemptRecord;
  /** Ends the delivery's turn in `inFlight`. */
  done: () => void;
}

/** The claim half of a batch failed (the record half is then retried alone). */
class ClaimFailed extends Error {
  constructor(readonly error: unknown) {
    super('claiming deliveries failed', { cause: error });
  }
}

interface Claimed {
  item: ClaimedDelivery;
  lookup: TargetLookup | undefined;
}

export class DeliveryWorker {
  readonly id = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly policy: RetryPolicy;
  /**
   * Batches that may run at once. On PostgreSQL a second batch runs while the first waits for its commit (each costs
   * a WAL flush; concurrent ones share it). SQLite runs transactions one at a time anyway.
   */
  private readonly maxBatches: number;
  /** Every claimed delivery until its attempt is recorded (or given up on), by id. */
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Claimed deliveries whose attempt is not over yet. */
  private sending = 0;
  /** Slots that running batches are claiming deliveries for. `sending + reserved` slots are in use. */
  private reserved = 0;
  /** Attempts over and not yet recorded: the next batch records them. Their slots are free. */
  private finished: Finished[] = [];
  private readonly batches = new Set<Promise<void>>();
  private running = false;
  private loop: Promise<void> | null = null;
  private nudge: (() => void) | null = null;
  private wakeRequested = false;
  /** Whether due rows may be waiting: false after a claim came back short, until woken or the next poll. */
  private claimable = true;
  /** While claimable is false: when to look again anyway. */
  private pollAt = 0;
  /** Set while free slots wait for more to free up: when they are claimed anyway. */
  private claimBy: number | null = null;
  /** Shared channels whose failing streak this worker cleared, and when (see recentlyCleared). */
  private readonly healthyChannels = new Map<string, number>();
  /** Attempts over whose outcome the database did not take: written again, with backoff, before any claim. */
  private readonly backlog: OutcomeBacklog<Finished>;
  /** Set while a batch writes the backlog: no other batch runs meanwhile. */
  private writingBacklog = false;
  /** The outcomes that batch writes. */
  private writingCount = 0;
  /** After stop: the next try at writing the backlog. */
  private backlogTimer: NodeJS.Timeout | null = null;
  private readonly databaseErrors: ThrottledLog;

  constructor(private readonly options: DeliveryWorkerOptions) {
    this.policy = new RetryPolicy(options.config.retrySchedule);
    this.maxBatches = options.dataSource.options.type === 'postgres' ? 2 : 1;
    this.backlog = new OutcomeBacklog({ limit: Math.max(1, options.config.concurrency) * BACKLOG_PER_SLOT });
    this.databaseErrors = new ThrottledLog(options.log, DATABASE_ERROR_LOG_INTERVAL_MS);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Asks an idle worker to look for due deliveries now. */
  wake(): void {
    this.wakeRequested = true;
    this.nudge?.();
  }

  /**
   * Stops claiming, waits up to `graceMs` for deliveries in flight (and their records), then hands the leases of any
   * still running back, so another worker takes them at once instead of after the lease.
   */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.nudge?.();
    await this.loop;
    // Deliveries a running batch is claiming are sent too: they are leased already.
    await Promise.all([...this.batches]);
    this.recordStragglers();
    const pending = [...this.inFlight.values()];
    const timedOut = await Promise.race([
      Promise.all(pending).then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), graceMs).unref()),
    ]);
    if (this.backlogTimer) clearTimeout(this.backlogTimer);
    this.backlogTimer = null;
    if (!timedOut) return;
    // Attempts whose outcome is known but unwritten keep their leases: sent, they must not be sent again at once.
    const unwritten = new Set(
      [...this.backlog.peek(), ...this.finished].map((item) => item.claimed.delivery.id),
    );
    try {
      await this.releaseLeases([...this.inFlight.keys()].filter((id) => !unwritten.has(id)));
    } catch (error) {
      this.databaseFailed(error, 'handing back leases failed');
    }
    for (const item of this.backlog.takeAll()) {
      this.options.log.warn(
        { deliveryId: item.claimed.delivery.id },
        'the outcome of a delivery attempt was not written before shutdown: it is left to its lease',
      );
      item.done();
    }
    this.updateUnwrittenGauge();
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Outcomes waiting for the database to take them. */
  get unwrittenCount(): number {
    return this.backlog.size + this.writingCount;
  }

  private async run(): Promise<void> {
    const { concurrency, pollIntervalMs } = this.options.config;
    while (this.running) {
      const now = performance.now();
      if (this.wakeRequested || (!this.claimable && now >= this.pollAt)) {
        this.wakeRequested = false;
        this.claimable = true;
      }
      if (this.writingBacklog) {
        // The batch writing the backlog ends first: nothing is claimed before those outcomes are in.
      } else if (this.backlog.size > 0) {
        const wait = this.backlog.waitMs(now);
        if (wait === 0 && this.batches.size === 0) {
          this.startBatch(0);
          continue;
        }
        await this.sleep(this.batches.size > 0 ? pollIntervalMs : wait);
        continue;
      } else if (this.batches.size < this.maxBatches) {
        const inUse = this.sending + this.reserved;
        const free = concurrency - inUse;
        const wantClaim = this.claimable && free > 0;
        // With work in flight, a batch waits (at most CLAIM_BATCH_WAIT_MS) for half the slots to be free: each
        // batch (one transaction) then serves several deliveries instead of the single one whose slot just freed.
        const floor = this.batchFloor(inUse);
        const go = wantClaim
          ? free >= floor || (this.claimBy !== null && now >= this.claimBy)
          : this.finished.length > 0;
        if (go) {
          this.claimBy = null;
          this.startBatch(wantClaim ? free : 0);
          continue;
        }
        if (wantClaim) this.claimBy ??= now + CLAIM_BATCH_WAIT_MS;
        else this.claimBy = null;
      }
      const until = this.claimBy ?? (this.claimable ? now + pollIntervalMs : this.pollAt);
      await this.sleep(Math.max(0, until - now));
      // Answers that arrived in this turn of the event loop join the next batch.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Resolves when `ms` passed or when nudged (an attempt or a batch ended, a wake-up, stop), whichever is first. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.nudge = null;
        resolve();
      }, ms);
      this.nudge = () => {
        clearTimeout(timer);
        this.nudge = null;
        resolve();
      };
    });
  }

  /**
   * Starts a batch: one transaction that records the attempts over so far and leases up to `limit` due deliveries
   * (whose slots are reserved meanwhile), then sends those.
   */
  private startBatch(limit: number): void {
    const fromBacklog = this.backlog.size > 0;
    const finished = [...this.backlog.takeAll(), ...this.finished];
    this.finished = [];
    this.reserved += limit;
    if (fromBacklog) {
      this.writingBacklog = true;
      this.writingCount = finished.length;
    }
    const batch = this.runBatch(finished, limit).then((claimed) => {
      this.reserved -= limit;
      this.batches.delete(batch);
      if (fromBacklog) {
        this.writingBacklog = false;
        this.writingCount = 0;
        this.updateUnwrittenGauge();
      }
      if (limit > 0 && !claimed?.full) {
        this.claimable = false;
        this.pollAt = performance.now() + this.options.config.pollIntervalMs;
      }
      if (claimed) this.dispatch(claimed.items);
      if (this.running) this.nudge?.();
      else this.recordStragglers();
    });
    this.batches.add(batch);
  }

  /** After stop: records the attempts that end meanwhile (and the backlog, when due), in batches of their own. */
  private recordStragglers(): void {
    if (this.running || this.writingBacklog) return;
    if (this.backlog.size > 0) {
      if (this.batches.size > 0 || this.backlogTimer) return;
      const wait = this.backlog.waitMs(performance.now());
      if (wait > 0) {
        this.backlogTimer = setTimeout(() => {
          this.backlogTimer = null;
          this.recordStragglers();
        }, wait);
        this.backlogTimer.unref();
        return;
      }
    } else if (this.finished.length === 0 || this.batches.size >= this.maxBatches) return;
    this.startBatch(0);
  }

  /** Resolves with the claimed deliveries (null when the claim failed); never rejects. */
  private async runBatch(
    finished: Finished[],
    limit: number,
  ): Promise<{ items: Claimed[]; full: boolean } | null> {
    const records = finished.map((item) => item.record);
    let recorded: Set<string> | null = null;
    let claimed: ClaimedDelivery[] | null = null;
    let mode: 'batch' | 'each' = 'batch';
    let claimLimit = limit;
    for (;;) {
      try {
        ({ recorded, claimed } = await this.transact(records, claimLimit, mode));
        break;
      } catch (error) {
        if (error instanceof LeaseLostInBatch && mode === 'batch') {
          mode = 'each';
          continue;
        }
        if ((error instanceof ClaimFailed || records.length === 0) && claimLimit > 0) {
          // The attempts are still recorded, in a transaction of their own.
          this.databaseFailed(
            error instanceof ClaimFailed ? error.error : error,
            'claiming deliveries failed',
          );
          claimLimit = 0;
          if (records.length > 0) continue;
          break;
        }
        this.databaseFailed(error, 'recording delivery attempts failed');
        if (isTransientDatabaseError(error)) {
          // Kept and written again once the database answers; the leases keep the rows from other workers.
          for (const item of this.backlog.keep(finished, performance.now())) {
            this.options.log.error(
              { deliveryId: item.claimed.delivery.id },
              'too many unwritten delivery outcomes: this one is left to its lease',
            );
            item.done();
          }
          this.updateUnwrittenGauge();
          if (limit === 0) return { items: [], full: false };
          return null;
        }
        // Refused by the database itself: these rows are sent again once their leases expire (at-least-once).
        for (const item of finished) {
          this.options.log.error(
            { err: error, deliveryId: item.claimed.delivery.id },
            'recording the delivery attempt failed',
          );
        }
        break;
      }
    }
    if (recorded) {
      this.backlog.succeeded();
      this.databaseErrors.recovered('the database answers again');
    }
    for (const item of finished) {
      if (recorded?.has(item.claimed.delivery.id)) void this.afterRecorded(item);
      else {
        if (recorded) {
          this.options.log.warn(
            { deliveryId: item.claimed.delivery.id },
            'lease lost before the attempt was recorded',
          );
        }
        item.done();
      }
    }
    if (limit === 0) return { items: [], full: false };
    if (claimLimit === 0 || !claimed) return null;
    try {
      return { items: await this.prepare(claimed), full: claimed.length === limit };
    } catch (error) {
      this.databaseFailed(error, 'loading the targets of claimed deliveries failed');
      // Handed back, so they are claimed again at once; if that fails too, their leases expire.
      await this.releaseLeases(claimed.map((item) => item.delivery.id)).catch(() => undefined);
      return null;
    }
  }

  private transact(
    records: AttemptRecord[],
    limit: number,
    mode: 'batch' | 'each',
  ): Promise<{ recorded: Set<string>; claimed: ClaimedDelivery[] }> {
    return this.options.dataSource.transaction(async (manager) => {
      if (records.length === 0) await leaseWithoutFlushWait(manager);
      const recorded =
        records.length > 0
          ? await recordAttempts(manager, this.id, records, mode, this.options.clock.now())
          : new Set<string>();
      let claimed: ClaimedDelivery[] = [];
      if (limit > 0) {
        try {
          claimed = await this.claimIn(manager, limit);
        } catch (error) {
          throw new ClaimFailed(error);
        }
      }
      return { recorded, claimed };
    });
  }

  /** Leases up to `limit` due deliveries to this worker. */
  private claimIn(manager: EntityManager, limit: number): Promise<ClaimedDelivery[]> {
    const now = this.options.clock.now();
    const leaseUntil = new Date(now.getTime() + this.options.config.leaseMs);
    return claimDue(manager, { owner: this.id, limit, now, leaseUntil });
  }

  /**
   * Resolves the targets of leased deliveries from the rows their claim read, and reads the stacks' templates, after
   * the lease is committed.
   */
  private async prepare(items: ClaimedDelivery[]): Promise<Claimed[]> {
    if (items.length === 0) return [];
    const templates = await templatesFor(
      this.options.dataSource.manager,
      items.map((item) => item.delivery),
    );
    const targets = resolveTargets(
      items,
      this.options.publicUrl,
      this.options.channels.secrets,
      this.options.clock.now(),
    );
    const templated = attachMessageTemplates(
      items.map((item) => ({
        delivery: item.delivery,
        eventType: item.payload.eventKey,
        summary: item.delivery.summary !== null,
      })),
      targets,
      templates,
      this.options.publicUrl,
    );
    return items.map((item) => ({ item, lookup: templated.get(item.delivery.id) }));
  }

  /**
   * Starts the attempts of claimed deliveries; each joins `finished` when its answer is in. The shared channels' (plain
   * HTTPS posts) start first; the personal channels', whose transports work before sending (a Web Push encryption, a
   * MIME message, a signed APNs request), a turn of the event loop later, so the posts already made go out on the wire
   * before that work runs instead of after it.
   */
  private dispatch(claimed: Claimed[]): void {
    const later: (() => void)[] = [];
    for (const { item, lookup } of claimed) {
      const start = this.track(item, lookup);
      if (isSharedChannel(item.delivery.channel)) start();
      else later.push(start);
    }
    if (later.length > 0) setImmediate(() => later.forEach((start) => start()));
  }

  /** Counts a claimed delivery as in flight at once; the returned function starts its attempt. */
  private track(item: ClaimedDelivery, lookup: TargetLookup | undefined): () => void {
    let done!: () => void;
    this.inFlight.set(
      item.delivery.id,
      new Promise<void>((resolve) => {
        done = () => {
          this.inFlight.delete(item.delivery.id);
          resolve();
        };
      }),
    );
    this.sending += 1;
    return () => {
      const at = this.options.clock.now();
      this.attempt(item, lookup).then(
        (outcome) => {
          this.sending -= 1;
          this.finished.push({ claimed: item, at, outcome, record: this.toRecord(item, at, outcome), done });
          this.attemptEnded();
        },
        (error: unknown) => {
          // Left to its lease: the row is claimed again once it expires.
          this.sending -= 1;
          this.options.log.error({ err: error, deliveryId: item.delivery.id }, 'delivery failed');
          done();
          this.attemptEnded();
        },
      );
    };
  }

  private async attempt(item: ClaimedDelivery, lookup: TargetLookup | undefined): Promise<DeliveryOutcome> {
    if (lookup instanceof SecretDecryptionError) {
      // Retried: the operator may yet add the missing key to SECRET_KEY_PREVIOUS.
      return failedBeforeSending(true, `The channel's secret cannot be read: ${lookup.message}`);
    }
    if (!lookup) {
      return failedBeforeSending(false, 'The channel or device was removed or disabled before delivery');
    }
    return sendTo(this.options.transports, lookup, item.payload);
  }

  private attemptEnded(): void {
    if (!this.running) {
      this.recordStragglers();
      return;
    }
    // Wakes the loop only when it has something to decide: enough slots are free, nothing is left to claim and the
    // attempt is to be recorded now, or no claim deadline is set yet. Otherwise that deadline comes first.
    if (this.batches.size >= this.maxBatches) return; // the batch's end wakes it
    const inUse = this.sending + this.reserved;
    const free = this.options.config.concurrency - inUse;
    if (!this.claimable || this.claimBy === null || free >= this.batchFloor(inUse)) this.nudge?.();
  }

  /** How many slots must be free before a batch claims: half of them while others are in use, else one. */
  private batchFloor(inUse: number): number {
    return inUse > 0 ? Math.ceil(this.options.config.concurrency / 2) : 1;
  }

  private toRecord(item: ClaimedDelivery, at: Date, outcome: DeliveryOutcome): AttemptRecord {
    const { delivery } = item;
    const attemptsMade = delivery.attemptCount + 1;
    const next = this.policy.next(outcome, attemptsMade, this.options.clock.now());
    const status =
      next.kind === 'succeeded'
        ? DeliveryStatus.SUCCEEDED
        : next.kind === 'failed'
          ? DeliveryStatus.FAILED
          : next.kind === 'dead'
            ? DeliveryStatus.DEAD
            : DeliveryStatus.PENDING;
    return {
      deliveryId: delivery.id,
      channel: delivery.channel,
      targetId: delivery.targetId,
      status,
      attemptsMade,
      nextAttemptAt: next.kind === 'retry' ? next.at : null,
      at,
      durationMs: Math.round(outcome.durationMs),
      ok: outcome.ok,
      statusCode: outcome.statusCode,
      responseExcerpt: storableText(outcome.responseExcerpt),
      error: storableText(outcome.error?.slice(0, ERROR_TEXT_LIMIT) ?? null),
      // Serialised here, off the batch's transaction; JSON also escapes what PostgreSQL's text refuses (NUL).
      requestSent: outcome.request ? JSON.stringify(outcome.request) : null,
      responseReceived: outcome.response ? JSON.stringify(outcome.response) : null,
      targetGone: outcome.targetGone === true,
    };
  }

  /** Metrics, the log line and the channel's health, once the attempt is committed. */
  private async afterRecorded({ claimed, at, outcome, record, done }: Finished): Promise<void> {
    const { delivery } = claimed;
    try {
      this.options.metrics.deliveryAttempts.inc({ channel: delivery.channel, status: record.status });
      this.options.metrics.deliveryDuration.observe({ channel: delivery.channel }, outcome.durationMs / 1000);
      this.options.log.info(
        {
          deliveryId: delivery.id,
          notificationId: delivery.notificationId,
          requestId: delivery.requestId,
          channel: delivery.channel,
          status: record.status,
          statusCode: outcome.statusCode,
          durationMs: record.durationMs,
          attempt: record.attemptsMade,
        },
        'delivery attempt',
      );
      if (isSharedChannel(delivery.channel) && !this.recentlyCleared(delivery.targetId, outcome.ok, at)) {
        await this.options.channels.recordDeliveryOutcome(delivery.targetId, outcome.ok, at);
      }
    } catch (error) {
      this.options.log.error({ err: error, deliveryId: delivery.id }, 'delivery failed');
    } finally {
      done();
    }
  }

  /**
   * Whether a success need not be recorded on the channel: this worker cleared the channel's failing streak less
   * than HEALTH_RECHECK_MS ago. Saves a write per delivery to a healthy channel; a streak another worker starts
   * meanwhile is cleared at most HEALTH_RECHECK_MS late, far inside the hours a channel must fail to be disabled.
   */
  private recentlyCleared(channelId: string, ok: boolean, at: Date): boolean {
    if (!ok) {
      this.healthyChannels.delete(channelId);
      return false;
    }
    const clearedAt = this.healthyChannels.get(channelId);
    if (clearedAt !== undefined && at.getTime() - clearedAt < HEALTH_RECHECK_MS) return true;
    this.healthyChannels.set(channelId, at.getTime());
    return false;
  }

  /** Counts and logs (at most once per interval) a failed database operation of the worker. */
  private databaseFailed(error: unknown, message: string): void {
    this.options.metrics.workerDatabaseErrors.inc();
    this.databaseErrors.error({ err: error }, message);
  }

  private updateUnwrittenGauge(): void {
    this.options.metrics.unwrittenOutcomes.set(this.unwrittenCount);
  }

  private async releaseLeases(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.options.dataSource
      .getRepository(Delivery)
      .update({ id: In(ids), leaseOwner: this.id }, { leaseUntil: null, leaseOwner: null });
  }
}
