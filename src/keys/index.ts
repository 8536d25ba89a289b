export { keysCommands, keyErrors, type KeyRotationTarget } from './keys.cli';
export { rotateSealedValues, type RotationSummary, type ColumnSummary } from './keys.rotate';
export { SEALED_COLUMNS, type SealedColumn } from './keys.sealed';
