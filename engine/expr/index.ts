export { ExpressionError, MAX_ARGS, MAX_DEPTH, MAX_LENGTH, MAX_NODES } from './parser';
export { compileExpression, evaluateOnGrid, type CompiledExpression } from './compile';
