export { ExpressionError, MAX_DEPTH } from './parser';
export { compileExpression, evaluateOnGrid, type CompiledExpression } from './compile';
