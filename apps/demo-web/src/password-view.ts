import { byId, setFormBusy, showFieldError } from './dom.js';

/** The password-change form: current and new password, what the server said, and a notice once changed. */
export class PasswordView {
  private readonly form = byId('password-form', HTMLFormElement);
  private readonly username = byId('password-username', HTMLInputElement);
  private readonly current = byId('current-password', HTMLInputElement);
  private readonly next = byId('new-password', HTMLInputElement);
  private readonly submit = byId('password-submit', HTMLButtonElement);
  private readonly error = byId('password-error', HTMLParagraphElement);
  private readonly notice = byId('password-notice', HTMLParagraphElement);

  /** Calls `change` on submit, which resolves to the error to show (and its code), or undefined once changed. */
  onSubmit(
    change: (current: string, next: string) => Promise<{ text: string; code?: string } | undefined>,
  ): void {
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (this.current.value === '' || this.next.value === '') {
        showFieldError(
          this.error,
          'Enter your current password and a new one.',
          this.current.value === '' ? this.current : this.next,
        );
        return;
      }
      this.error.textContent = this.notice.textContent = '';
      setFormBusy(this.form, this.submit, true);
      void change(this.current.value, this.next.value)
        .then((error) => {
          if (error === undefined) {
            this.clear();
            this.notice.textContent = 'Password changed. Your other devices were signed out.';
            return;
          }
          // A wrong current password is fixed there; anything else, in the new one.
          showFieldError(
            this.error,
            error.text,
            error.code === 'invalid_credentials' ? this.current : this.next,
          );
        })
        .finally(() => setFormBusy(this.form, this.submit, false));
    });
  }

  /** Empties the form for the user signed in now (the hidden username helps password managers). */
  reset(name: string): void {
    this.username.value = name;
    this.clear();
    this.error.textContent = this.notice.textContent = '';
  }

  private clear(): void {
    this.current.value = this.next.value = '';
  }
}
