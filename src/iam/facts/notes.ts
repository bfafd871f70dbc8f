// Notes the facts carry about what the analysis had to assume.
export const UNKNOWN_ARN_NOTE = 'the key ARN is unknown: Allow statements naming a specific key are taken to apply, Deny statements naming one are not';
