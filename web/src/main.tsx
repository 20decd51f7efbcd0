import { render } from 'solid-js/web';
import { App } from './App';
import { api } from './api';
import './styles.css';

// On a product page, fetch the product and the configurator's code in parallel with starting
// the app instead of one after the other (Largest Contentful Paint).
const product = /^\/p\/([^/]+)\/?$/.exec(window.location.pathname);
if (product) {
  api.prefetchProduct(decodeURIComponent(product[1]!));
  void import('./pages/ConfiguratorPage');
}

render(() => <App />, document.getElementById('root')!);
