import { Injectable, inject } from '@angular/core';
import { MatSnackBar } from '@angular/material/snack-bar';
import { describeError } from './problem';

@Injectable({ providedIn: 'root' })
export class NotifyService {
  private readonly snackBar = inject(MatSnackBar);

  success(message: string): void {
    this.snackBar.open(message, 'Dismiss', { duration: 4000 });
  }

  /** Something the user should know that is neither a success nor an error (e.g. a refused page). */
  info(message: string): void {
    this.snackBar.open(message, 'Dismiss', { duration: 8000, politeness: 'polite' });
  }

  error(error: unknown): void {
    this.snackBar.open(describeError(error), 'Dismiss', { duration: 8000, panelClass: 'lf-snack-error', politeness: 'assertive' });
  }

  /** A message with an action (e.g. Undo); resolves true when the action was taken. */
  async withAction(message: string, action: string): Promise<boolean> {
    const ref = this.snackBar.open(message, action, { duration: 6000 });
    return new Promise((resolve) => {
      let acted = false;
      ref.onAction().subscribe(() => (acted = true));
      ref.afterDismissed().subscribe(() => resolve(acted));
    });
  }
}
