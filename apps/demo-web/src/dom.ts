/** The element with `id`, checked to be of the expected class: the page fails loudly if index.html drifts. */
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`index.html lacks the ${type.name} #${id}`);
  return element;
}
