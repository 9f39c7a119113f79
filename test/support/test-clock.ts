import type { Clock } from '../../src/shared/clock';

/** A clock that stands still until the test moves it. */
export class TestClock implements Clock {
  private instant: Date;

  constructor(iso: string) {
    this.instant = new Date(iso);
  }

  now(): Date {
    return new Date(this.instant);
  }

  set(iso: string): void {
    this.instant = new Date(iso);
  }
}
