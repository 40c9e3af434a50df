import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** CPU time over wall time in a phase, in % of one core; `machine` is all cores together. */
export interface CpuShares {
  gateway: number;
  postgres: number;
  simulator: number;
  /** This process: the load generator (autocannon, the paced client) and the bench's own queries. */
  bench: number;
  machine: number;
  /**
   * Of `machine`, the time the hypervisor gave to other guests while this one had work ready (steal):
   * on a shared virtual machine it is capacity the phase did not get, and it varies from run to run.
   */
  stolen: number;
  cores: number;
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ, 100 on Linux

interface Reading {
  at: number;
  ticks: Omit<CpuShares, 'cores'>;
}

/**
 * Who used the machine's cores in each phase, from /proc: the gateway, Postgres (its postmaster, every
 * live backend, and through cutime the backends that have exited), the simulator, this process and
 * the whole machine. It tells which process a figure is waiting on, and whether any core was left.
 * Postgres is counted only when it runs on this machine (embedded, or a local DATABASE_URL).
 */
export class CpuShareSampler {
  private phase = 'idle';
  private start: Reading;
  private readonly shares = new Map<string, CpuShares>();

  /** `gateways`: every gateway process; their shares are added up. */
  constructor(private readonly pids: { gateways: number[]; simulator: number; postmaster?: number }) {
    this.start = this.read();
  }

  enter(phase: string): void {
    this.close();
    this.phase = phase;
  }

  stop(): void {
    this.close();
  }

  byPhase(): Record<string, CpuShares> {
    return Object.fromEntries(this.shares);
  }

  private close(): void {
    const now = this.read();
    const seconds = (now.at - this.start.at) / 1000;
    // A phase of a blink (the idle gap before the first one) would turn one clock tick into a large share.
    if (seconds >= 1) {
      const percent = (key: keyof Reading['ticks']) => Math.round((100 * (now.ticks[key] - this.start.ticks[key])) / CLOCK_TICKS_PER_SECOND / seconds);
      this.shares.set(this.phase, {
        gateway: percent('gateway'),
        postgres: percent('postgres'),
        simulator: percent('simulator'),
        bench: percent('bench'),
        machine: percent('machine'),
        stolen: percent('stolen'),
        cores: cpus().length,
      });
    }
    this.start = now;
  }

  private read(): Reading {
    const { postmaster } = this.pids;
    const machine = machineTicks();
    return {
      at: performance.now(),
      ticks: {
        gateway: this.pids.gateways.reduce((sum, pid) => sum + processTicks(pid), 0),
        postgres: postmaster === undefined ? 0 : processTicks(postmaster, true) + childrenOf(postmaster).reduce((sum, pid) => sum + processTicks(pid), 0),
        simulator: processTicks(this.pids.simulator),
        bench: processTicks(process.pid),
        machine: machine.busy,
        stolen: machine.steal,
      },
    };
  }
}

/** The postmaster of the server behind a connection, if that server runs on this machine. */
export function postmasterOf(backendPid: number): number | undefined {
  const match = /^PPid:\s+(\d+)/m.exec(readProc(`${backendPid}/status`) ?? '');
  return match ? Number(match[1]) : undefined;
}

/** utime + stime (fields 14, 15 of /proc/PID/stat), plus cutime + cstime (16, 17: reaped children). */
function processTicks(pid: number, withReapedChildren = false): number {
  const stat = readProc(`${pid}/stat`);
  if (!stat) return 0;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const own = Number(fields[11]) + Number(fields[12]);
  return withReapedChildren ? own + Number(fields[13]) + Number(fields[14]) : own;
}

function childrenOf(parent: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProc(`${entry}/stat`);
    const ppid = stat ? Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) : undefined;
    if (ppid === parent) children.push(Number(entry));
  }
  return children;
}

/** All cores' time not idle and not waiting for I/O (steal included), from the first line of /proc/stat. */
function machineTicks(): { busy: number; steal: number } {
  const [, ...fields] = (readProc('stat') ?? '').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal = 0] = fields.map(Number);
  return { busy: user + nice + system + irq + softirq + steal, steal };
}

function readProc(path: string): string | undefined {
  try {
    return readFileSync(`/proc/${path}`, 'utf8');
  } catch {
    return undefined;
  }
}
