// Shows the versions that main reports through the preload bridge. Outside Electron (the page opened in a
// browser) there is no bridge and the list simply stays hidden.
const LABELS = { app: 'App', electron: 'Electron', chrome: 'Chromium', node: 'Node.js' };

async function showAppInfo() {
  const bridge = window.ser;
  if (!bridge) return;
  const info = await bridge.info();
  const list = document.getElementById('app-info');
  for (const [key, label] of Object.entries(LABELS)) {
    const term = document.createElement('dt');
    term.textContent = label;
    const value = document.createElement('dd');
    value.textContent = info[key];
    list.append(term, value);
  }
  list.hidden = false;
}

showAppInfo().catch((error) => console.error('Could not read app info:', error));
