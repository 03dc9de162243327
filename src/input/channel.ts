/**
 * A bounded hand-over from a producer (the CSV reading, driven by its own callbacks) to a consumer
 * iterating with `for await`. Items go out in batches; when `depth` batches wait, the producer's
 * `pace()` waits for the consumer. Small batches and a depth of one hand rows over as soon as they
 * are parsed, so they die young (queued rows would live through garbage collections and cost
 * memory and time). When the consumer stops early, `pace()` throws `Cancelled` so the reading
 * unwinds and cleans up.
 */
class Cancelled extends Error {
  constructor() {
    super('reading cancelled');
    this.name = 'Cancelled';
  }
}

export class Channel<T> {
  private queue: T[][] = [];
  private batch: T[] = [];
  private closed = false;
  private failure: unknown;
  private cancelled = false;
  private wakeConsumer: (() => void) | undefined;
  private spaceWaiters: (() => void)[] = [];

  constructor(
    private readonly batchSize = 64,
    private readonly depth = 1,
  ) {}

  push(item: T): void {
    this.batch.push(item);
    if (this.batch.length >= this.batchSize) this.flush();
  }

  private flush(): void {
    if (!this.batch.length) return;
    this.queue.push(this.batch);
    this.batch = [];
    this.wakeConsumer?.();
  }

  /** Waits while the consumer is `depth` batches behind; throws Cancelled once it has stopped. */
  pace(): Promise<void> | void {
    if (this.cancelled) throw new Cancelled();
    if (this.queue.length >= this.depth) return this.waitForSpace();
  }

  private async waitForSpace(): Promise<void> {
    while (this.queue.length >= this.depth) {
      await new Promise<void>((resolve) => this.spaceWaiters.push(resolve));
      if (this.cancelled) throw new Cancelled();
    }
  }

  private wakeProducers(): void {
    const w = this.spaceWaiters;
    this.spaceWaiters = [];
    for (const f of w) f();
  }

  /** The producer is done (with an error, when it failed). */
  close(failure?: unknown): void {
    this.flush();
    this.closed = true;
    this.failure = failure;
    this.wakeConsumer?.();
  }

  async *batches(): AsyncGenerator<T[]> {
    try {
      for (;;) {
        const next = this.queue.shift();
        if (next) {
          yield next;
          // taken and processed: the producer may go on
          this.wakeProducers();
          continue;
        }
        if (this.closed) {
          if (this.failure !== undefined) throw this.failure;
          return;
        }
        await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
        this.wakeConsumer = undefined;
      }
    } finally {
      this.cancelled = true;
      this.wakeProducers();
    }
  }
}
