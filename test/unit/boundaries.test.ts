// The architecture's boundaries are kept by the linter (eslint.config.js): these cases prove the
// rule fires on the imports it forbids and stays quiet on the ones it allows.
import { describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

/** The boundary messages ESLint gives `code` as if it were the file at `filePath` (an existing one). */
async function boundaryErrors(filePath: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('architecture boundaries', () => {
  it('refuses infrastructure importing a capability', async () => {
    const errors = await boundaryErrors(
      'src/http/api.ts',
      "import { FleetService } from '../fleet/index.js';\nexport const x = FleetService;\n",
    );
    expect(errors).toEqual([expect.stringContaining('Infrastructure imports no capability')]);
  });

  it('refuses a capability reaching into another one past its index.ts', async () => {
    const errors = await boundaryErrors(
      'src/assignments/availability.ts',
      "import type { FleetRepository } from '../fleet/fleet.repository.js';\nexport type X = FleetRepository;\n",
    );
    expect(errors).toEqual([expect.stringContaining('only through its index.ts')]);
  });

  it('refuses the composition root reaching past an index.ts', async () => {
    const errors = await boundaryErrors(
      'src/platform.ts',
      "import { FleetRepository } from './fleet/fleet.repository.js';\nexport const x = FleetRepository;\n",
    );
    expect(errors).toEqual([expect.stringContaining('only through its index.ts')]);
  });

  it('allows a capability to use another through its index.ts, and the shared module', async () => {
    const errors = await boundaryErrors(
      'src/assignments/availability.ts',
      "import type { FleetService } from '../fleet/index.js';\nimport type { Role } from '../shared/index.js';\nexport type X = [FleetService, Role];\n",
    );
    expect(errors).toEqual([]);
  });
});
