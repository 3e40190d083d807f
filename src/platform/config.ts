import { availableParallelism } from 'node:os';
/** Configuration from the environment, validated once at start with one clear message per bad value. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string | null;
  readonly dataDir: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly dbPoolSize: number;
  readonly captureBatchMax: number;
  readonly captureFlushers: number;
  readonly webhookMaxAttempts: number;
  readonly webhookBaseDelayMs: number;
  readonly dispatcherIntervalMs: number;
  readonly runDispatcher: boolean;
  /** how long an Idempotency-Key is honoured (and kept) */
  readonly idempotencyKeyTtlHours: number;
  readonly bodyLimitBytes: number;
  /** 'routing': the decision engine; 'simple': one location by priority, else split by priority */
  readonly allocation: 'routing' | 'simple';
  /** a rate card JSON to load instead of the shipped demo card */
  readonly rateCardPath: string | null;
  /** worker threads that route capture batches off the event loop (0 = route on the main thread) */
  readonly routingWorkers: number;
  /** minutes between automatic re-optimisation runs over split, unreleased orders (0 = off) */
  readonly reoptimiseEveryMinutes: number;
  /** orders looked at per automatic run, oldest first */
  readonly reoptimiseBatch: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<Config> = {}): Config {
  const problems: string[] = [];
  const int = (name: string, dflt: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return dflt;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name}=${JSON.stringify(raw)} must be a whole number from ${min} to ${max}`);
      return dflt;
    }
    return n;
  };
  const bool = (name: string, dflt: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return dflt;
    if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
    if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
    problems.push(`${name}=${JSON.stringify(raw)} must be true or false`);
    return dflt;
  };
  const databaseUrl = env.DATABASE_URL && env.DATABASE_URL !== '' ? env.DATABASE_URL : null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const logLevel = (env.LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL=${JSON.stringify(env.LOG_LEVEL)} must be one of ${LOG_LEVELS.join(', ')}`);
  const config: Config = {
    port: int('PORT', 8080, 0, 65535),
    host: env.HOST ?? '127.0.0.1',
    databaseUrl,
    dataDir: env.DATA_DIR ?? './data',
    logLevel,
    dbPoolSize: int('DB_POOL_SIZE', 8, 1, 200),
    captureBatchMax: int('CAPTURE_BATCH_MAX', 128, 1, 5000),
    captureFlushers: int('CAPTURE_FLUSHERS', databaseUrl ? 3 : 1, 1, 64),
    webhookMaxAttempts: int('WEBHOOK_MAX_ATTEMPTS', 8, 1, 100),
    webhookBaseDelayMs: int('WEBHOOK_BASE_DELAY_MS', 1000, 1, 3_600_000),
    dispatcherIntervalMs: int('DISPATCHER_INTERVAL_MS', 500, 10, 60_000),
    runDispatcher: bool('RUN_DISPATCHER', true),
    idempotencyKeyTtlHours: int('IDEMPOTENCY_KEY_TTL_HOURS', 24, 1, 24 * 366),
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 256 * 1024, 1024, 50 * 1024 * 1024),
    allocation: (() => {
      const v = env.ALLOCATION ?? 'routing';
      if (v !== 'routing' && v !== 'simple') problems.push(`ALLOCATION=${JSON.stringify(v)} must be routing or simple`);
      return v === 'simple' ? 'simple' : 'routing';
    })(),
    rateCardPath: env.RATE_CARD_PATH && env.RATE_CARD_PATH !== '' ? env.RATE_CARD_PATH : null,
    // one core for the event loop, one for the database, the rest (up to 4) for routing: on two cores a worker
    // only competes for the same CPU (measured: same throughput, +50 MB RSS), so none there
    routingWorkers: int('ROUTING_WORKERS', availableParallelism() >= 4 ? Math.min(4, availableParallelism() - 2) : 0, 0, 64),
    reoptimiseEveryMinutes: int('REOPTIMISE_EVERY_MINUTES', 0, 0, 24 * 60),
    reoptimiseBatch: int('REOPTIMISE_BATCH', 200, 1, 2000),
    ...overrides,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}
