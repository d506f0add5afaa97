import { useState } from 'preact/hooks';
import { getToken, setToken } from '../api';

export function AuthForm() {
  const [value, setValue] = useState('');
  const had = getToken() !== '';
  return (
    <form
      class="auth"
      data-testid="auth-form"
      onSubmit={(e) => {
        e.preventDefault();
        setToken(value.trim());
        setValue('');
      }}
    >
      <p>
        {had ? 'The token was not accepted.' : 'This daemon needs an API token.'} It is kept for this tab only
        (sessionStorage).
      </p>
      <label for="auth-token">API token</label>
      <input
        id="auth-token"
        data-testid="auth-token"
        type="password"
        autoComplete="off"
        value={value}
        onInput={(e) => setValue((e.target as HTMLInputElement).value)}
        required
      />
      <button type="submit" data-testid="auth-submit">Use token</button>
    </form>
  );
}
