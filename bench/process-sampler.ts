import { readFileSync } from 'node:fs';

export interface PhaseUsage {
  peakRssMb: number;
  /** CPU time over wall time; 100 % is one core busy (a Node process mostly uses one). */
  cpuPercent: number;
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ, 100 on Linux

/**
 * Watches one process through Linux's /proc: its resident memory every 100 ms (the peak of each phase)
 * and its CPU time per phase, which tells whether it, rather than Postgres or the client, is the limit.
 */
export class ProcessSampler {
  private phase = 'idle';
  private phaseStart: { at: number; ticks: number | undefined };
  private readonly peaksKb = new Map<string, number>();
  private readonly cpu = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: number) {
    this.phaseStart = { at: performance.now(), ticks: cpuTicks(pid) };
    this.timer = setInterval(() => this.sampleRss(), 100);
    this.timer.unref();
  }

  enter(phase: string): void {
    this.closePhase();
    this.phase = phase;
    this.sampleRss();
  }

  usage(): Record<string, PhaseUsage> {
    return Object.fromEntries(
      [...this.peaksKb].map(([phase, kb]) => [phase, { peakRssMb: Math.round(kb / 102.4) / 10, cpuPercent: this.cpu.get(phase) ?? NaN }]),
    );
  }

  stop(): void {
    this.closePhase();
    clearInterval(this.timer);
  }

  private closePhase(): void {
    this.sampleRss();
    const now = { at: performance.now(), ticks: cpuTicks(this.pid) };
    const seconds = (now.at - this.phaseStart.at) / 1000;
    if (now.ticks !== undefined && this.phaseStart.ticks !== undefined && seconds > 0)
      this.cpu.set(this.phase, Math.round((100 * (now.ticks - this.phaseStart.ticks)) / CLOCK_TICKS_PER_SECOND / seconds));
    this.phaseStart = now;
  }

  private sampleRss(): void {
    const kb = rssKb(this.pid);
    if (kb !== undefined && kb > (this.peaksKb.get(this.phase) ?? 0)) this.peaksKb.set(this.phase, kb);
  }
}

/** Undefined when not on Linux, or when the process is gone. */
function rssKb(pid: number): number | undefined {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readProc(pid, 'status') ?? '');
  return match ? Number(match[1]) : undefined;
}

/** utime + stime: fields 14 and 15 of /proc/PID/stat, counted after the parenthesised command name. */
function cpuTicks(pid: number): number | undefined {
  const stat = readProc(pid, 'stat');
  if (!stat) return undefined;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}
