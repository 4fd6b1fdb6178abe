// CSV import as stores staff do it: choose the supplier's manifest or the HR export, check it (the
// API's dry run: every row judged, nothing changed), read the report (rows refused, with their line
// and reason), then import. The API imports all rows or none, so a file with refused rows is
// corrected and chosen again; a real import reports what it registered.
import { useState, type ChangeEvent } from 'react';
import { api, type Problem } from '../../api.js';
import { href } from '../../route.js';
import { Done, ProblemNotice } from './common.js';
import { problemOf } from '../../lib/problem.js';

/** The API's import report (src/imports/csv.ts `ImportReport`). */
export interface ImportReport {
  dryRun: boolean;
  total: number;
  valid: number;
  invalid: number;
  imported: number;
  importId: string | null;
  rows: Array<{ line: number; key: string | null; ok: boolean; errors: string[] }>;
}

const KINDS = {
  cameras: {
    label: 'Cameras (supplier’s delivery manifest)',
    noun: 'camera',
    columns: 'serial, model, assetTag, station',
    optional: 'purchaseDate, purchaseCost, notes',
  },
  officers: {
    label: 'Officers (HR export)',
    noun: 'officer',
    columns: 'number, name, station',
    optional: 'team, qualifications (separated by ;), active',
  },
} as const;
type Kind = keyof typeof KINDS;

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

export function Import() {
  const [kind, setKind] = useState<Kind>('cameras');
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [result, setResult] = useState<ImportReport | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const k = KINDS[kind];

  const reset = () => {
    setReport(null);
    setResult(null);
    setProblem(null);
  };

  const choose = (e: ChangeEvent<HTMLInputElement>) => {
    reset();
    const f = e.target.files?.[0];
    if (!f) return setFile(null);
    void f.text().then((text) => setFile({ name: f.name, text }));
  };

  const send = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(true);
    setProblem(null);
    try {
      const r = await api<ImportReport>(`/${kind}/import${dryRun ? '?dryRun=true' : ''}`, {
        method: 'POST',
        csv: file.text,
      });
      if (dryRun) setReport(r);
      else {
        setResult(r);
        setReport(null);
      }
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  };

  const importedKeys = result?.rows.flatMap((r) => (r.key ? [r.key] : [])) ?? [];

  return (
    <section aria-labelledby="import-h">
      <h2 id="import-h">Import from a CSV file</h2>
      <form
        className="grid-form setup-import"
        aria-labelledby="import-h"
        onSubmit={(e) => {
          e.preventDefault();
          void send(true);
        }}
      >
        <div className="fw-field">
          <label htmlFor="import-kind">What the file holds</label>
          <select
            id="import-kind"
            value={kind}
            onChange={(e) => {
              setKind(e.target.value as Kind);
              reset();
            }}
          >
            {(Object.keys(KINDS) as Kind[]).map((x) => (
              <option key={x} value={x}>
                {KINDS[x].label}
              </option>
            ))}
          </select>
        </div>
        <div className="fw-field">
          <label htmlFor="import-file">CSV file</label>
          <input
            id="import-file"
            type="file"
            accept=".csv,text/csv"
            onChange={choose}
            aria-describedby="import-file-hint"
          />
          <span id="import-file-hint" className="muted fw-hint">
            A header row with {k.columns}; optional {k.optional}.
          </span>
        </div>
        <div className="fw-buttons fw-wide">
          <button type="submit" disabled={!file || busy}>
            Check file
          </button>
          <span className="muted">Checking changes nothing: every row is judged and reported.</span>
        </div>
      </form>
      <ProblemNotice problem={problem} />
      {report && <DryRun report={report} file={file?.name ?? ''} noun={k.noun} />}
      {report && report.invalid === 0 && report.total > 0 && (
        <p className="fw-buttons">
          <button type="button" disabled={busy} onClick={() => void send(false)}>
            Import {plural(report.valid, k.noun)}
          </button>
        </p>
      )}
      <Done
        text={
          result
            ? `Imported ${plural(result.imported, k.noun)} from ${file?.name ?? 'the file'} (import ${result.importId ?? ''})`
            : null
        }
      />
      {result && kind === 'cameras' && importedKeys.length > 0 && (
        <p>
          <a className="button secondary" href={href('setup', 'labels', importedKeys.join(','))}>
            Print labels for these {plural(importedKeys.length, 'camera')}
          </a>
        </p>
      )}
    </section>
  );
}

function DryRun({ report, file, noun }: { report: ImportReport; file: string; noun: string }) {
  const refused = report.rows.filter((r) => !r.ok);
  return (
    <section aria-labelledby="dryrun-h" className="setup-report" data-testid="dry-run">
      <h3 id="dryrun-h">Check of {file}</h3>
      <p role="status" className={report.invalid ? 'error' : 'okmsg'}>
        {plural(report.total, 'row')}: {report.valid} ready to import, {report.invalid} refused.
        {report.invalid > 0 &&
          ` Nothing is imported while any row is refused: correct ${report.invalid === 1 ? 'it' : 'them'} in the file and choose it again.`}
        {report.total === 0 && ` The file has no ${noun} rows.`}
      </p>
      {refused.length > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="refused-h">
          <table>
            <caption id="refused-h">Refused rows</caption>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Row</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {refused.map((r) => (
                <tr key={r.line} data-line={r.line}>
                  <th scope="row">{r.line}</th>
                  <td>{r.key ?? '—'}</td>
                  <td>
                    {r.errors.map((e) => (
                      <div key={e}>{e}</div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
