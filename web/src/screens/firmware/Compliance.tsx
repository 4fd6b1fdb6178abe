// Compliance: which versions the fleet runs, model by model and station by station, which devices
// are behind the latest approved version, and which run a blocked one (unfit until updated).
import { complianceTotals, modelVersions } from '../../lib/firmware/compliance.js';
import type { Compliance as ComplianceData } from '../../lib/firmware/types.js';
import { href } from '../../route.js';
import { ProblemNotice, useResource, VersionBadge } from './common.js';

const deviceLink = (kind: 'camera' | 'dock', id: string) =>
  kind === 'camera' ? <a href={href('fleet', 'camera', id)}>{id}</a> : `Dock ${id}`;

export function Compliance() {
  const { data, error, reload } = useResource<ComplianceData>('/compliance');
  const totals = data ? complianceTotals(data) : null;
  return (
    <section aria-labelledby="compliance-h">
      <div className="fw-bar">
        <h2 id="compliance-h">Compliance</h2>
        <button type="button" className="secondary" onClick={reload}>
          Refresh
        </button>
      </div>
      <ProblemNotice problem={error} />
      {totals && (
        <dl className="stock fw-totals" data-testid="compliance-totals">
          <div>
            <dt>Devices</dt>
            <dd>{totals.devices}</dd>
          </div>
          <div>
            <dt>On the latest approved</dt>
            <dd>
              {totals.current} <span className="fw-small">({totals.percentCurrent}%)</span>
            </dd>
          </div>
          <div>
            <dt>Behind</dt>
            <dd>{totals.behind}</dd>
          </div>
          <div className={totals.blocked ? 'fw-alarm' : undefined}>
            <dt>On a blocked version</dt>
            <dd>{totals.blocked}</dd>
          </div>
        </dl>
      )}
      {data && (
        <>
          <h3 id="blocked-h">Devices on blocked versions</h3>
          {data.blocked.length === 0 ? (
            <p>No device runs a blocked version.</p>
          ) : (
            <>
              <p className="muted">
                These devices are unfit (health fault, readiness red) until they are updated.
              </p>
              <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="blocked-h">
                <table className="fw-stack" data-testid="blocked-devices">
                  <thead>
                    <tr>
                      <th scope="col">Device</th>
                      <th scope="col">Station</th>
                      <th scope="col">Model</th>
                      <th scope="col">Version</th>
                      <th scope="col">Why it is blocked</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.blocked.map((d) => (
                      <tr key={`${d.kind}:${d.id}`} className="fw-row-bad">
                        <th scope="row">{deviceLink(d.kind, d.id)}</th>
                        <td data-label="Station">{d.station ?? '—'}</td>
                        <td data-label="Model">{d.model}</td>
                        <td data-label="Version">{d.version}</td>
                        <td data-label="Why blocked">{d.reason ?? '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}

          <h3>Versions by model</h3>
          {data.byModel.length === 0 && <p>No device has reported a version yet.</p>}
          <div className="cards">
            {data.byModel.map((m) => {
              const { versions, latest, devices } = modelVersions(m);
              const id = `model-${m.kind}-${m.model}`.replace(/[^A-Za-z0-9_-]/g, '_');
              return (
                <section className="card" key={`${m.kind}:${m.model}`} aria-labelledby={id}>
                  <h4 id={id}>
                    {m.model}{' '}
                    <span className="muted">
                      · {m.kind}s · {devices}
                    </span>
                  </h4>
                  <p className="muted">Latest approved: {latest ?? 'none approved yet'}</p>
                  <table className="fw-compact">
                    <thead>
                      <tr>
                        <th scope="col">Version</th>
                        <th scope="col">Devices</th>
                        <th scope="col">Status</th>
                      </tr>
                    </thead>
                    <tbody>
                      {versions.map((v) => (
                        <tr key={v.version} data-version={v.version}>
                          <th scope="row">{v.version}</th>
                          <td>{v.count}</td>
                          <td>
                            <VersionBadge status={v.status} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </section>
              );
            })}
          </div>

          <h3 id="bystation-h">By station</h3>
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="bystation-h">
            <table className="fw-stack counts" data-testid="compliance-stations">
              <thead>
                <tr>
                  <th scope="col">Station</th>
                  <th scope="col" className="fw-left">
                    Model
                  </th>
                  <th scope="col">Current</th>
                  <th scope="col">Behind</th>
                  <th scope="col">Blocked</th>
                  <th scope="col">No version</th>
                </tr>
              </thead>
              <tbody>
                {data.byStation.map((r) => (
                  <tr key={`${r.station}|${r.kind}|${r.model}`}>
                    <th scope="row">{r.station}</th>
                    <td data-label="Model" className="fw-left">
                      {r.model} <span className="muted">({r.kind})</span>
                    </td>
                    <td data-label="Current">{r.current}</td>
                    <td data-label="Behind">{r.behind}</td>
                    <td data-label="Blocked" className={r.blocked ? 'fw-bad' : undefined}>
                      {r.blocked}
                    </td>
                    <td data-label="No version">{r.unknown ?? 0}</td>
                  </tr>
                ))}
                {data.byStation.length === 0 && (
                  <tr>
                    <td colSpan={6}>No devices yet.</td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>

          <h3 id="behind-h">Devices behind the latest approved version</h3>
          {data.behind.length === 0 ? (
            <p>Every device runs the latest approved version of its model.</p>
          ) : (
            <>
              {(data.behindCount ?? totals?.behind ?? 0) > data.behind.length && (
                <p className="muted">
                  The first {data.behind.length} of {data.behindCount ?? totals?.behind}.
                </p>
              )}
              <div className="table-scroll fw-tall" tabIndex={0} role="region" aria-labelledby="behind-h">
                <table className="fw-stack" data-testid="behind-devices">
                  <thead>
                    <tr>
                      <th scope="col">Device</th>
                      <th scope="col">Station</th>
                      <th scope="col">Model</th>
                      <th scope="col">Runs</th>
                      <th scope="col">Latest</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.behind.map((d) => (
                      <tr key={`${d.kind}:${d.id}`}>
                        <th scope="row">{deviceLink(d.kind, d.id)}</th>
                        <td data-label="Station">{d.station ?? '—'}</td>
                        <td data-label="Model">{d.model}</td>
                        <td data-label="Runs">{d.version}</td>
                        <td data-label="Latest">{d.latest}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </>
      )}
    </section>
  );
}
