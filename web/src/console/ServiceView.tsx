import { createResource, createSignal, For, type JSX, Show, Suspense } from 'solid-js';
import { adminApi } from './api';
import { HBars, PALETTE, StackedBars } from './charts';
import { Failure, pct, ScrollBox, Stat } from './shared';

/** Fit feedback and complaints per day and category, first-contact resolution, adjusted modules. */
export function ServiceView(): JSX.Element {
  const [days, setDays] = createSignal(90);
  const [data, { refetch }] = createResource(days, (d) => adminApi.service(d));
  return (
    <section aria-labelledby="svc-h">
      <h1 id="svc-h">Feedback &amp; service</h1>
      <label>
        Period{' '}
        <select value={String(days())} onChange={(e) => setDays(Number(e.currentTarget.value))}>
          <option value="30">30 days</option>
          <option value="90">90 days</option>
          <option value="365">1 year</option>
        </select>
      </label>
      <Suspense fallback={<p>Loading…</p>}>
        <Show when={data.error}>
          <Failure error={data.error} retry={() => void refetch()} />
        </Show>
        <Show when={!data.error && data()}>
          {(s) => (
            <>
              <div class="stats">
                <Stat
                  label="fit answers"
                  value={String(s().feedback.total)}
                  note={`${pct(s().feedback.total ? s().feedback.right / s().feedback.total : null)} all right`}
                />
                <Stat
                  label="complaints"
                  value={String(s().complaints.total)}
                  note={`${s().complaints.open} open`}
                />
                <Stat
                  label="resolved at the first contact"
                  value={pct(s().complaints.firstContactResolutionRate)}
                  note={`${s().complaints.resolvedFirstContact} of ${s().complaints.resolved} resolved`}
                />
              </div>
              <StackedBars
                title="Fit feedback per day"
                labels={s().days.map((d) => d.day)}
                series={[
                  { name: 'fits right', color: PALETTE[5]! },
                  { name: 'needs an adjustment', color: PALETTE[3]! },
                ]}
                values={s().days.map((d) => [d.feedbackRight, d.feedbackAdjust])}
              />
              <StackedBars
                title="Complaints per day, by category"
                labels={s().days.map((d) => d.day)}
                series={s().categories.map((c, i) => ({
                  name: c.replace('_', ' '),
                  color: PALETTE[i % PALETTE.length]!,
                }))}
                values={s().days.map((d) => s().categories.map((c) => d.complaints[c] ?? 0))}
              />
              <div class="chart-row">
                <HBars
                  title="Complaints by category (resolved at first contact)"
                  items={s().complaints.byCategory.map((c) => ({
                    label: c.category.replace('_', ' '),
                    value: c.total,
                    note: `${c.resolvedFirstContact} first contact`,
                  }))}
                  color={PALETTE[2]}
                />
                <HBars
                  title="Modules most often adjusted after feedback (all time)"
                  items={s()
                    .modulesAdjusted.slice(0, 8)
                    .map((m) => ({
                      label: `${m.productId} ${m.module}`,
                      value: m.count,
                      note: m.topFrom[0] ? `most from ${m.topFrom[0].option}` : '',
                    }))}
                />
              </div>
              <h2>Answers per fit area</h2>
              <ScrollBox label="Answers per fit area">
                <table class="console-table">
                  <thead>
                    <tr>
                      <th scope="col">Product</th>
                      <th scope="col">Area</th>
                      <th scope="col" class="num">
                        Answers
                      </th>
                      <th scope="col">too tight / short</th>
                      <th scope="col">right</th>
                      <th scope="col">too loose / long</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={s().areas}>
                      {(a) => {
                        const share = (...keys: string[]) =>
                          pct(keys.reduce((n, k) => n + (a.answers[k] ?? 0), 0) / Math.max(1, a.total), 0);
                        return (
                          <tr>
                            <td>{a.productId}</td>
                            <td>{a.area}</td>
                            <td class="num">{a.total}</td>
                            <td>{share('too_tight', 'too_short')}</td>
                            <td>{share('right')}</td>
                            <td>{share('too_loose', 'too_long')}</td>
                          </tr>
                        );
                      }}
                    </For>
                  </tbody>
                </table>
              </ScrollBox>
            </>
          )}
        </Show>
      </Suspense>
    </section>
  );
}
