export {
  parseCsv,
  validateRows,
  flagDuplicates,
  summarise,
  rejectImport,
  importFailed,
  toCsv,
  type ImportReport,
} from './csv.js';
