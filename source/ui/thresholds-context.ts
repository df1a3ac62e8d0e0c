/**
The alert thresholds in force (defaults, flags and the config file), so trend glyphs turn the warning colour exactly
where the alert rules would.
*/
import {createContext, useContext} from 'react';
import {ruleDefaults, type Thresholds} from '../alerts/rule-defaults.js';

export const ThresholdsContext = createContext<Thresholds>(ruleDefaults);

export function useThresholds(): Thresholds {
	return useContext(ThresholdsContext);
}
