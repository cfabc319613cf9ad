/**
 * Asked only when the page has no token and no auth cookie (opened without the #token=… link): a password field for
 * the server's token (`npx pyrepl info` prints it), traded for the HttpOnly cookie. A DOM form rather than a
 * terminal prompt so password managers and paste work as on any login form.
 */
import { authenticate } from './connection-spec.js';

export function askForToken(host: HTMLElement, baseUrl: string): Promise<void> {
  return new Promise((resolve) => {
    const form = document.createElement('form');
    form.className = 'auth-panel';
    const label = document.createElement('label');
    label.textContent = 'Token of the PyREPL3 server (run `npx pyrepl info` to see it):';
    const input = document.createElement('input');
    input.type = 'password';
    input.autocomplete = 'current-password';
    input.required = true;
    label.append(input);
    const error = document.createElement('p');
    error.className = 'auth-error';
    const submit = document.createElement('button');
    submit.type = 'submit';
    submit.textContent = 'Connect';
    form.append(label, submit, error);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      error.textContent = '';
      authenticate(baseUrl, input.value.trim()).then(
        (ok) => {
          if (!ok) {
            error.textContent = 'That token was not accepted.';
            return;
          }
          form.remove();
          resolve();
        },
        (err: unknown) => (error.textContent = `Cannot reach the server: ${String(err)}`),
      );
    });
    host.append(form);
    input.focus();
  });
}
