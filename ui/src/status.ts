// The loading state of the current view, on <main> for the end-to-end tests:
// data-loading="true" while a fetch is in progress, data-loaded="true" once
// the current view's data is shown.

function main(): HTMLElement | null {
  return typeof document === 'undefined' ? null : document.getElementById('main');
}

export function setLoading(on: boolean): void {
  const m = main();
  if (!m) return;
  if (on) m.setAttribute('data-loading', 'true');
  else m.removeAttribute('data-loading');
}

export function setLoaded(on: boolean): void {
  const m = main();
  if (!m) return;
  if (on) m.setAttribute('data-loaded', 'true');
  else m.removeAttribute('data-loaded');
}

/** A new view: nothing of it is shown yet. */
export function resetStatus(): void {
  setLoading(false);
  setLoaded(false);
}
