import { render } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api } from './api';
import { AuthForm } from './components/AuthForm';
import { formatDuration } from './format';
import { useAuthNeeded, useNow, usePoll } from './hooks';
import { LookingGlass } from './pages/LookingGlass';
import { Overview } from './pages/Overview';
import { Sources } from './pages/Sources';
import { dataKey, formatHash, parseHash, type View } from './route';
import { resetStatus } from './status';
import './style.css';

export type Navigate = (v: View, replace?: boolean) => void;

function Uptime() {
  const [base, setBase] = useState<{ up: number; at: number } | null>(null);
  const now = useNow(1000);
  usePoll(async () => {
    const s = await api.stats();
    setBase({ up: s.uptime_s, at: Date.now() });
  }, 10000, []);
  if (!base) return null;
  const up = base.up + Math.max(0, (now - base.at) / 1000);
  return (
    <span class="hdr-uptime">
      daemon up <span data-testid="hdr-uptime" data-value={String(Math.floor(up))}>{formatDuration(up)}</span>
    </span>
  );
}

function App() {
  const [view, setView] = useState<View>(() => parseHash(location.hash));
  const authNeeded = useAuthNeeded();

  useEffect(() => {
    const onHash = () => {
      const next = parseHash(location.hash);
      setView((prev) => {
        if (dataKey(prev) !== dataKey(next) || prev.page !== next.page) resetStatus();
        return next;
      });
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const navigate: Navigate = useCallback((v: View, replace = false) => {
    const hash = formatHash(v);
    setView((prev) => {
      if (dataKey(prev) !== dataKey(v) || prev.page !== v.page) resetStatus();
      return v;
    });
    if (hash === location.hash) return;
    if (replace) history.replaceState(null, '', hash);
    else history.pushState(null, '', hash);
  }, []);

  const navLink = (page: View['page'], href: string, label: string, testid: string) => (
    <li>
      <a href={href} data-testid={testid} aria-current={view.page === page ? 'page' : undefined}>
        {label}
      </a>
    </li>
  );

  return (
    <>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href="#/">bgpsentry</a>
        <nav aria-label="Main">
          <ul>
            {navLink('overview', '#/', 'Overview', 'nav-overview')}
            {navLink('lg', '#/lg', 'Looking glass', 'nav-lg')}
            {navLink('sources', '#/sources', 'Sources & VPs', 'nav-sources')}
          </ul>
        </nav>
        <Uptime />
      </header>
      <main id="main" tabIndex={-1}>
        {authNeeded && <AuthForm />}
        {view.page === 'overview' && <Overview />}
        {view.page === 'lg' && <LookingGlass view={view} navigate={navigate} />}
        {view.page === 'sources' && <Sources view={view} navigate={navigate} />}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
