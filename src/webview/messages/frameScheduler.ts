// Runs each scheduled task at most once per animation frame: many deltas, one render.
export class FrameScheduler {
  private readonly tasks = new Set<() => void>();
  private requested = false;

  schedule(task: () => void): void {
    this.tasks.add(task);
    if (this.requested) return;
    this.requested = true;
    requestAnimationFrame(() => this.run());
  }

  private run(): void {
    this.requested = false;
    const tasks = Array.from(this.tasks);
    this.tasks.clear();
    for (const task of tasks) task();
  }
}
