import { createSignal } from 'solid-js';
import { render } from 'solid-js/web';

// The smallest interactive Solid page, built by the shop's own Vite config: the baseline the
// configurator's JavaScript budget is compared with.
function Hello() {
  const [n, setN] = createSignal(0);
  return (
    <button type="button" onClick={() => setN(n() + 1)}>
      Hello, Solid ({n()})
    </button>
  );
}
render(() => <Hello />, document.getElementById('root')!);
