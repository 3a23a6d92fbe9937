import { deleteNamespace, TEST_NATS_URL, uniqueNamespace } from '../nats/test-namespace';
import { waitFor } from '../wait-for';
import { ServiceProcess, type ServiceName } from './service-process';

export const TEST_API_KEY = 'test-key-0123456789abcdef';

export interface StackOptions {
  readonly smtpUrl: string;
  readonly namespace?: string;
  readonly natsUrl?: string;
  readonly senders?: number;
  /** Extra variables for every service. */
  readonly env?: Readonly<Record<string, string>>;
  /** Extra variables per service. */
  readonly serviceEnv?: Partial<Record<ServiceName, Readonly<Record<string, string>>>>;
  readonly echo?: boolean;
  /** Leave the namespace's streams and buckets in place on stop (the test deletes them itself). */
  readonly keepNamespace?: boolean;
  /** Start without any sender (the test starts them with `addSender`). */
  readonly noSenders?: boolean;
  /** Arguments for node itself, per service (e.g. `--cpu-prof` to profile). */
  readonly nodeArgs?: Partial<Record<ServiceName, readonly string[]>>;
  /**
   * Start each service only once the one before is ready (gateway, splitter, tracker, senders),
   * instead of all at once as an orchestrator does: for tests about something other than boot.
   */
  readonly oneAtATime?: boolean;
  /** How long each service may take to report ready (default 30 s; a cold cluster takes longer). */
  readonly readyTimeoutMs?: number;
}

/** What waitForNewsletterAs hands `done` by default: the fields tests look at (NewsletterView has them all). */
export interface NewsletterViewLike {
  readonly status: string;
  readonly sent: number;
  readonly failed: number;
  readonly suppressed: number;
  readonly batches: { readonly total: number | null; readonly completed: number };
}

export interface ApiResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** The four services as separate processes against one namespace, plus an HTTP client for the gateway. */
export class MailroomStack {
  private senderCount = 0;

  private constructor(
    readonly namespace: string,
    private readonly options: StackOptions,
    readonly gateway: ServiceProcess,
    readonly splitter: ServiceProcess,
    readonly tracker: ServiceProcess,
    readonly senders: ServiceProcess[],
  ) {}

  static async start(options: StackOptions): Promise<MailroomStack> {
    const namespace = options.namespace ?? uniqueNamespace();
    const boot = (name: ServiceName, label?: string) => ServiceProcess.start(name, {
      env: envFor(name, namespace, options),
      label,
      echo: options.echo,
      nodeArgs: options.nodeArgs?.[name],
      readyTimeoutMs: options.readyTimeoutMs,
    });
    const plan: Array<() => Promise<ServiceProcess>> = [
      () => boot('gateway'),
      () => boot('splitter'),
      () => boot('tracker'),
      ...Array.from({ length: options.noSenders ? 0 : (options.senders ?? 1) }, (_, i) => () => boot('sender', `sender-${i + 1}`)),
    ];
    const started = options.oneAtATime ? await inTurn(plan) : await Promise.allSettled(plan.map((start) => start()));
    const failed = started.flatMap((s) => (s.status === 'rejected' ? [s.reason as Error] : []));
    if (failed.length > 0) {
      await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.kill() : Promise.resolve())));
      await deleteNamespace(namespace, options.natsUrl ?? TEST_NATS_URL).catch(() => undefined);
      // Every service that did not come up, not only the first: a concurrent boot can fail several.
      throw failed.length === 1
        ? failed[0]!
        : new Error(`${failed.length} services did not start:\n\n${failed.map((e) => e.message).join('\n\n')}`);
    }
    const [gateway, splitter, tracker, ...senders] = started.map((s) => (s as PromiseFulfilledResult<ServiceProcess>).value);
    const stack = new MailroomStack(namespace, options, gateway!, splitter!, tracker!, senders);
    stack.senderCount = senders.length;
    return stack;
  }

  get all(): ServiceProcess[] {
    return [this.gateway, this.splitter, this.tracker, ...this.senders];
  }

  async addSender(extraEnv: Readonly<Record<string, string>> = {}): Promise<ServiceProcess> {
    this.senderCount += 1;
    const sender = await ServiceProcess.start('sender', {
      env: { ...envFor('sender', this.namespace, this.options), ...extraEnv },
      label: `sender-${this.senderCount}`,
      echo: this.options.echo,
      nodeArgs: this.options.nodeArgs?.sender,
      readyTimeoutMs: this.options.readyTimeoutMs,
    });
    this.senders.push(sender);
    return sender;
  }

  async request<T = unknown>(
    method: string,
    path: string,
    options: { body?: unknown; rawBody?: string; headers?: Record<string, string>; apiKey?: string | null } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.apiKey !== null) headers['authorization'] ??= `Bearer ${options.apiKey ?? TEST_API_KEY}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(`${this.gateway.baseUrl}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  /** Polls `GET /v1/newsletters/:id` until `done` accepts the view (or fails after the deadline with the last view). */
  async waitForNewsletter<T extends { status: string }>(
    id: string,
    done: (view: T) => boolean,
    timeoutMs = 60_000,
  ): Promise<T> {
    return this.waitForNewsletterAs(TEST_API_KEY, id, done, timeoutMs);
  }

  /** waitForNewsletter with another API key (a newsletter of another tenant). */
  async waitForNewsletterAs<T extends { status: string } = NewsletterViewLike>(
    apiKey: string,
    id: string,
    done: (view: T) => boolean,
    timeoutMs = 60_000,
  ): Promise<T> {
    return waitFor(
      async () => {
        const res = await this.request<T>('GET', `/v1/newsletters/${id}`, { apiKey });
        if (res.status !== 200) throw new Error(`GET newsletter answered ${res.status}: ${JSON.stringify(res.body)}`);
        return res.body;
      },
      done,
      { timeoutMs, intervalMs: 200, description: `newsletter ${id}` },
    );
  }

  /** Stops every process (SIGTERM) and deletes the namespace. */
  async stop(): Promise<void> {
    await Promise.all(this.all.map((p) => p.stop()));
    if (this.options.keepNamespace) return;
    await deleteNamespace(this.namespace, this.options.natsUrl ?? TEST_NATS_URL);
  }
}

/** Runs the starts one after another, stopping at the first failure. */
async function inTurn(plan: ReadonlyArray<() => Promise<ServiceProcess>>): Promise<Array<PromiseSettledResult<ServiceProcess>>> {
  const settled: Array<PromiseSettledResult<ServiceProcess>> = [];
  for (const start of plan) {
    try {
      settled.push({ status: 'fulfilled', value: await start() });
    } catch (reason) {
      settled.push({ status: 'rejected', reason });
      break;
    }
  }
  return settled;
}

function envFor(name: ServiceName, namespace: string, options: StackOptions): Record<string, string> {
  const base: Record<string, string> = {
    NATS_URL: options.natsUrl ?? TEST_NATS_URL,
    MAILROOM_NAMESPACE: namespace,
    LOG_LEVEL: 'info',
  };
  const perService: Record<ServiceName, Record<string, string>> = {
    // Tenant `test`, every scope (admin included: dead-letter re-drive, the global suppression list).
    gateway: { API_KEYS: `test@send+read+admin:${TEST_API_KEY}` },
    splitter: {},
    sender: { SMTP_URL: options.smtpUrl },
    tracker: {},
    // Not started by the stack (tests about feedback start it with `ServiceProcess.start`).
    feedback: {},
  };
  return { ...base, ...perService[name], ...options.env, ...options.serviceEnv?.[name] };
}
