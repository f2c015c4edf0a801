import type { ESLint, Rule } from 'eslint'

export declare const LAYERS: readonly (readonly string[])[]
export declare const downwardImports: Rule.RuleModule
export declare const layersPlugin: ESLint.Plugin
