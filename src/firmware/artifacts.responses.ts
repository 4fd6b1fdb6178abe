// What the firmware artifact routes answer: the API reference's schemas and the web app's types.
// Zod only (the dashboard's build reads this file).
import { z } from 'zod';
import { pageOf, Timestamp } from '../shared/responses.js';

export const FirmwareStatus = z
  .enum(['approved', 'blocked', 'unreviewed'])
  .meta({ description: 'The version’s status in the versions register, now' });

export const ArtifactResponse = z
  .object({
    id: z.string(),
    kind: z.enum(['camera', 'dock']),
    model: z.string(),
    version: z.string(),
    size: z.number().int().meta({ description: 'Bytes' }),
    sha256: z.string().meta({ description: 'Hex; also the download’s ETag' }),
    signature: z.string().meta({ description: 'The vendor’s Ed25519 signature over the bytes, base64' }),
    keyFingerprint: z
      .string()
      .meta({ description: 'SHA-256 (hex) of the trusted public key that verified it' }),
    notes: z.string(),
    uploadedBy: z.string(),
    uploadedAt: Timestamp,
    status: FirmwareStatus,
  })
  .meta({ id: 'FirmwareArtifact' });
export type ArtifactResponse = z.infer<typeof ArtifactResponse>;

export const ArtifactPage = pageOf(ArtifactResponse);
