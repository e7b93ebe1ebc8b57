/** The element with `id`, checked to be of the expected class: the page fails loudly if index.html drifts. */
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`index.html lacks the ${type.name} #${id}`);
  return element;
}

/** Puts `text` in a form's alert, which announces it, and focus where the user has to act. */
export function showFieldError(alert: HTMLElement, text: string, field: HTMLInputElement): void {
  alert.textContent = text;
  field.focus();
  field.select();
}

/** Marks a form as waiting for the server: its submit button off while a request is out. */
export function setFormBusy(form: HTMLFormElement, submit: HTMLButtonElement, busy: boolean): void {
  submit.disabled = busy;
  form.setAttribute('aria-busy', String(busy));
}
