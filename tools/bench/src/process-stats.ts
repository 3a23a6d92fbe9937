import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start after the last ")".
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

export function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}

/** The most RSS a process has had since it started (VmHWM, the kernel's own high-water mark). */
export function peakRssBytes(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}

export interface ProcessUsage {
  readonly label: string;
  readonly peakRssBytes: number;
  readonly cpuSeconds: number;
}

/**
 * Samples the RSS of some processes every 200 ms and their CPU time at start and end. For a
 * process marked `lifetimePeak` (one this benchmark started) the peak is also the kernel's
 * high-water mark (VmHWM) at the end, so no spike between two samples is missed; long-lived
 * processes shared with others (nats-server) are only sampled.
 */
export class UsageRecorder {
  private readonly peak = new Map<number, number>();
  private readonly cpuAtStart = new Map<number, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly processes: ReadonlyArray<{ label: string; pid: number; lifetimePeak?: boolean }>) {
    for (const { pid } of processes) {
      this.cpuAtStart.set(pid, safe(() => cpuSeconds(pid)));
      this.peak.set(pid, 0);
    }
    this.sample();
    this.timer = setInterval(() => this.sample(), 200);
  }

  stop(): ProcessUsage[] {
    clearInterval(this.timer);
    this.sample();
    return this.processes.map(({ label, pid, lifetimePeak }) => ({
      label,
      peakRssBytes: Math.max(this.peak.get(pid) ?? 0, lifetimePeak ? safe(() => peakRssBytes(pid)) : 0),
      cpuSeconds: safe(() => cpuSeconds(pid)) - (this.cpuAtStart.get(pid) ?? 0),
    }));
  }

  private sample(): void {
    for (const { pid } of this.processes) {
      this.peak.set(pid, Math.max(this.peak.get(pid) ?? 0, safe(() => rssBytes(pid))));
    }
  }
}

function safe(read: () => number): number {
  try {
    return read();
  } catch {
    return 0;
  }
}
