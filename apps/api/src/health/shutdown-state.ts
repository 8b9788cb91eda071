import { Injectable } from '@nestjs/common';

/** Set when the process has been told to stop: readiness turns false so a load balancer drains it first. */
@Injectable()
export class ShutdownState {
  private draining = false;

  get isDraining(): boolean {
    return this.draining;
  }

  beginDrain(): void {
    this.draining = true;
  }
}
