export { isPresetId, PRESET_IDS, PRESETS, type Preset, type PresetId } from './catalogue';
export { PRESET_KEY, presetJsonSchemaProperty, quoteArgument, resolvePresets, type PresetProblem } from './resolve';
