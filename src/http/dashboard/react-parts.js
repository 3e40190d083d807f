// The dashboard's React parts (profile form, condition builder), built by Vite into /dashboard/profile-editor.js.
import { api } from './api.js';
import { h } from './dom.js';

let loaded;
/** The built module (loaded once, with its stylesheet), or null when it is not built: the pages then offer JSON. */
export function loadReactParts() {
  if (!loaded) {
    loaded = import('./profile-editor.js').then((m) => {
      document.head.append(h('link', { rel: 'stylesheet', href: '/dashboard/profile-editor.css' }));
      return m;
    }, () => null);
  }
  return loaded;
}

/** The React parts and the channel codes their condition builder offers (none when the key cannot list channels). */
export function reactPartsWithChannels() {
  return Promise.all([loadReactParts(), api('GET', '/v1/channels').then((r) => r.items.map((c) => c.code), () => [])]);
}
