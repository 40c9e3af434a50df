import { readFileSync } from 'node:fs';

export interface PhaseUsage {
  peakRssMb: number;
}

/**
 * Watches one process's resident memory through Linux's /proc every 100 ms: the peak of each phase.
 * (CPU is counted for every process by CpuShareSampler.)
 */
export class ProcessSampler {
  private phase = 'idle';
  private readonly peaksKb = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  /** Several pids (gateways sharing the database): the peak is that of the largest process. */
  constructor(private readonly pids: number[]) {
    this.timer = setInterval(() => this.sampleRss(), 100);
    this.timer.unref();
  }

  enter(phase: string): void {
    this.sampleRss();
    this.phase = phase;
    this.sampleRss();
  }

  usage(): Record<string, PhaseUsage> {
    return Object.fromEntries(
      [...this.peaksKb].map(([phase, kb]) => [phase, { peakRssMb: Math.round(kb / 102.4) / 10 }]),
    );
  }

  stop(): void {
    this.sampleRss();
    clearInterval(this.timer);
  }

  private sampleRss(): void {
    for (const pid of this.pids) {
      const kb = rssKb(pid);
      if (kb !== undefined && kb > (this.peaksKb.get(this.phase) ?? 0)) this.peaksKb.set(this.phase, kb);
    }
  }
}

/** Undefined when not on Linux, or when the process is gone. */
function rssKb(pid: number): number | undefined {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readProc(pid, 'status') ?? '');
  return match ? Number(match[1]) : undefined;
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}
