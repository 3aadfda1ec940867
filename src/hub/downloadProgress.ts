// Bytes, speed and time left for a download, from the bytes seen over the last few seconds.
export interface DownloadProgress {
  phase: 'resolving' | 'waiting' | 'downloading' | 'verifying' | 'done';
  /** The file being fetched, relative to the model folder. */
  file?: string;
  bytes: number;
  totalBytes: number;
  bytesPerSecond: number;
  /** Seconds left at the current speed; undefined until there is a speed. */
  etaSeconds?: number;
  /** Set while waiting for another window that downloads the same model. */
  note?: string;
}

export type ProgressListener = (p: DownloadProgress) => void;

export class ProgressMeter {
  private bytes = 0;
  private samples: { at: number; bytes: number }[] = [];
  private lastEmit = 0;
  private file: string | undefined;

  constructor(
    private readonly totalBytes: number,
    private readonly listener: ProgressListener,
    private readonly now: () => number = Date.now,
    private readonly windowMs = 5000,
    private readonly emitEveryMs = 200,
  ) {}

  /** Bytes already on disk before this run (a resumed download): counted as done, not as speed. */
  start(alreadyDone: number): void {
    this.bytes = alreadyDone;
    this.samples = [{ at: this.now(), bytes: alreadyDone }];
    this.emit(true);
  }

  setFile(file: string): void {
    this.file = file;
    this.emit(true);
  }

  add(delta: number): void {
    this.bytes += delta;
    const at = this.now();
    this.samples.push({ at, bytes: this.bytes });
    while (this.samples.length > 2 && at - this.samples[0].at > this.windowMs) this.samples.shift();
    this.emit(false);
  }

  speed(): number {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.at <= first.at) return 0;
    return Math.max(0, ((last.bytes - first.bytes) * 1000) / (last.at - first.at));
  }

  snapshot(phase: DownloadProgress['phase'] = 'downloading'): DownloadProgress {
    const bytesPerSecond = this.speed();
    const left = Math.max(0, this.totalBytes - this.bytes);
    return {
      phase,
      ...(this.file ? { file: this.file } : {}),
      bytes: this.bytes,
      totalBytes: this.totalBytes,
      bytesPerSecond,
      ...(bytesPerSecond > 0 ? { etaSeconds: left / bytesPerSecond } : {}),
    };
  }

  emit(force: boolean, phase: DownloadProgress['phase'] = 'downloading'): void {
    const at = this.now();
    if (!force && at - this.lastEmit < this.emitEveryMs) return;
    this.lastEmit = at;
    this.listener(this.snapshot(phase));
  }
}

export function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (Math.abs(v) >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : v < 10 ? 2 : v < 100 ? 1 : 0)} ${units[i]}`;
}

export function formatEta(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '';
  const s = Math.ceil(seconds);
  if (s < 60) return `${s} s left`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s left`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min left`;
}
