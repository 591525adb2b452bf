// Entry: the same App over either transport — the Electron preload's bridge
// when present, else the loopback WebSocket whose one-time token is in the URL.
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { AdminApi } from '../api/admin-api.js';
import { connectSocketApi, type SocketApi } from './api-client.js';
import { App } from './App.js';
import '@sealtime/shared/ui/base.css';
import '@sealtime/shared/ui/person-day.css';
import './styles.css';

declare global {
  interface Window {
    sealtimeApi?: AdminApi;
  }
}

function Root({ api, socket, server }: { api: AdminApi; socket: SocketApi | null; server: string }) {
  const [disconnected, setDisconnected] = useState(false);
  useEffect(() => socket?.onClose(() => setDisconnected(true)), [socket]);
  return <App api={api} defaultServer={server} disconnected={disconnected} />;
}

function start(): void {
  const root = document.getElementById('root');
  if (!root) return;
  let socket: SocketApi | null = null;
  let api = window.sealtimeApi;
  // read before the address bar is cleared below (it was read after, so `ui --server` never filled the form)
  const server = new URLSearchParams(location.search).get('server') ?? '';
  if (!api) {
    const token = new URLSearchParams(location.search).get('t') ?? '';
    // the token is spent by this socket: drop it from the address bar and history
    history.replaceState(null, '', location.pathname);
    socket = connectSocketApi(`ws://${location.host}/api?t=${encodeURIComponent(token)}`);
    api = socket;
  }
  createRoot(root).render(<Root api={api} socket={socket} server={server} />);
}

start();
