import { byId, setFormBusy, showFieldError } from './dom.js';

/** The login form: collects the credentials, says why a login failed or why the last session ended. */
export class LoginView {
  private readonly section = byId('login-view', HTMLElement);
  private readonly heading = byId('login-heading', HTMLHeadingElement);
  private readonly form = byId('login-form', HTMLFormElement);
  private readonly username = byId('username', HTMLInputElement);
  private readonly password = byId('password', HTMLInputElement);
  private readonly submit = byId('login-submit', HTMLButtonElement);
  private readonly error = byId('login-error', HTMLParagraphElement);
  private readonly notice = byId('login-notice', HTMLParagraphElement);

  /** Calls `login` on submit, which resolves to the error to show, or undefined once logged in. */
  onSubmit(login: (username: string, password: string) => Promise<string | undefined>): void {
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      const username = this.username.value.trim();
      const password = this.password.value;
      if (username === '' || password === '') {
        showFieldError(
          this.error,
          'Enter a username and a password.',
          username === '' ? this.username : this.password,
        );
        return;
      }
      this.error.textContent = '';
      this.notice.textContent = '';
      setFormBusy(this.form, this.submit, true);
      void login(username, password)
        .then((error) => {
          if (error !== undefined) showFieldError(this.error, error, this.password);
        })
        .finally(() => setFormBusy(this.form, this.submit, false));
    });
  }

  /** Shows the form, with why the last session ended; `focus: false` when the page just loaded. */
  show(notice = '', options: { focus?: boolean } = {}): void {
    this.password.value = '';
    this.notice.textContent = notice;
    this.section.hidden = false;
    // Focus follows the view change, so that keyboard and screen-reader users land on the form.
    if (options.focus ?? true) this.heading.focus();
  }

  hide(): void {
    this.password.value = '';
    this.error.textContent = '';
    this.section.hidden = true;
  }
}
