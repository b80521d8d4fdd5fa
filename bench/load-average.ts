/**
 * The machine's 1-minute load average while a benchmark group runs. The figures depend on what
 * else the machine is doing (the 2-core development machine is shared): a figure measured at a
 * load average of 10 is not comparable with one measured at 1, so every group's figures carry
 * the load it ran under.
 * @see https://man7.org/linux/man-pages/man5/proc_loadavg.5.html
 */
import { loadavg } from 'node:os';

/** The load average over a group's run: at its start, at its end, and the highest sampled. */
export interface LoadAverageFigures {
  readonly start: number;
  readonly end: number;
  readonly max: number;
  /** The machine's cores: a load average above it means runnable threads waited for a core. */
  readonly cores: number;
}

/** How often the load average is sampled while a group runs. */
const SAMPLE_EVERY_MS = 5_000;

/** Samples the load average; see the module comment. */
export class LoadAverageSampler {
  readonly #samples: number[] = [];

  constructor(
    private readonly cores: number,
    private readonly read: () => number = () => loadavg()[0] ?? 0,
  ) {
    this.sample();
  }

  /** Records the load average now. */
  sample(): void {
    this.#samples.push(this.read());
  }

  /** Records a last sample and returns the figures. */
  finish(): LoadAverageFigures {
    this.sample();
    const round = (value: number) => Math.round(value * 100) / 100;
    return { start: round(this.#samples[0] as number), end: round(this.#samples.at(-1) as number), max: round(Math.max(...this.#samples)), cores: this.cores };
  }

  /** Samples every few seconds until the returned function stops it and returns the figures. */
  static during(cores: number): () => LoadAverageFigures {
    const sampler = new LoadAverageSampler(cores);
    const timer = setInterval(() => sampler.sample(), SAMPLE_EVERY_MS);
    timer.unref();
    return () => {
      clearInterval(timer);
      return sampler.finish();
    };
  }
}
