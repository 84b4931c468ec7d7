/**
 * One alarm per object, set to the earliest of its named wake-up times (partywhen's rule): each
 * subsystem says when it wants to run, and the object's alarm handler runs whichever are due.
 * Re-arming happens only when the earliest time moves earlier, so a subsystem that pushes its
 * time later costs no storage write until the alarm fires.
 */

/** The alarm calls an object's storage offers. */
export type AlarmStorage = Pick<DurableObjectStorage, "setAlarm">;

/** The named wake-up times of one object. */
export class Wakeups {
  private readonly times = new Map<string, number>();

  /** @param armedAt the alarm already set (from `getAlarm()`), or null */
  constructor(
    private readonly storage: AlarmStorage,
    private armedAt: number | null,
  ) {}

  /** Asks for a wake-up of `name` at `at` (epoch ms); null withdraws it. */
  async set(name: string, at: number | null): Promise<void> {
    if (at === null) this.times.delete(name);
    else this.times.set(name, at);
    await this.arm();
  }

  /** Called at the start of the alarm: removes and returns the names due by `now`. */
  takeDue(now: number): Set<string> {
    this.armedAt = null;
    const due = new Set<string>();
    for (const [name, at] of this.times) {
      if (at > now) continue;
      due.add(name);
      this.times.delete(name);
    }
    return due;
  }

  /** Arms the alarm at the earliest wanted time, unless an earlier one is already set. */
  async arm(): Promise<void> {
    let earliest: number | null = null;
    for (const at of this.times.values()) if (earliest === null || at < earliest) earliest = at;
    if (earliest === null || (this.armedAt !== null && this.armedAt <= earliest)) return;
    this.armedAt = earliest;
    await this.storage.setAlarm(earliest);
  }
}
