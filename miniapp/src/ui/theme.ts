/**
 * The design system's two looks, as NutUI theme variables (ConfigProvider turns `nutuiColorPrimary` into
 * `--nutui-color-primary` on the page's root). Every page wears one of them:
 *  - normal: tap targets at least 44 px, body text 16–18 px;
 *  - elder (长辈模式, remembered on the device): text at least 20 px, targets at least 48 px, black on
 *    white with darker blue and stronger borders.
 * Values are CSS pixels: they are inline styles, which Taro leaves as written on both platforms.
 * The app's own style sheets read the same variables (`var(--nutui-font-size-base)`), so one switch
 * resizes kit and page alike.
 */

/** The few decisions a look is made of; everything NutUI needs is derived from them. */
export interface Look {
  primary: string
  primaryPressed: string
  danger: string
  success: string
  warning: string
  title: string
  text: string
  help: string
  border: string
  background: string
  /** Body text, small print, headings (px). */
  fontBase: number
  fontSmall: number
  fontLarge: number
  fontTitle: number
  /** The least tap target (px): default buttons, cells, tabs, inputs; `targetLarge` for a page's main action. */
  target: number
  targetLarge: number
  radius: number
}

export const NORMAL_LOOK: Look = {
  primary: '#1a5fb4', // white on it: 6.5:1
  primaryPressed: '#154c90',
  danger: '#b3261e',
  success: '#1b7f3b',
  warning: '#9a5b00',
  title: '#1f1f1f',
  text: '#333333',
  help: '#595959',
  border: '#d9dce1',
  background: '#f3f4f6',
  fontBase: 16,
  fontSmall: 14,
  fontLarge: 18,
  fontTitle: 22,
  target: 44,
  targetLarge: 52,
  radius: 10,
}

export const ELDER_LOOK: Look = {
  primary: '#0b3d91', // white on it: 10:1
  primaryPressed: '#082d6b',
  danger: '#8c1d18',
  success: '#0f5c28',
  warning: '#6e4100',
  title: '#000000',
  text: '#000000',
  help: '#1f1f1f',
  border: '#6b6b6b',
  background: '#ffffff',
  fontBase: 20,
  fontSmall: 20,
  fontLarge: 22,
  fontTitle: 28,
  target: 48,
  targetLarge: 60,
  radius: 12,
}

const px = (n: number) => `${n}px`

/** A look as ConfigProvider's `theme` (NutUI's variable names in camel case). */
export function nutTheme(look: Look): Record<string, string> {
  const vertical = (height: number, font: number) => px(Math.max(0, Math.round((height - font * 1.4) / 2)))
  return {
    // Colours. The primary button is a gradient between the two stops: one colour, for contrast.
    nutuiColorPrimary: look.primary,
    nutuiColorPrimaryPressed: look.primaryPressed,
    nutuiColorPrimaryStop1: look.primary,
    nutuiColorPrimaryStop2: look.primary,
    nutuiColorPrimaryText: '#ffffff',
    nutuiColorPrimaryIcon: look.primary,
    nutuiColorDanger: look.danger,
    nutuiColorSuccess: look.success,
    nutuiColorWarning: look.warning,
    nutuiColorTitle: look.title,
    nutuiColorText: look.text,
    nutuiColorTextHelp: look.help,
    nutuiColorBorder: look.border,
    nutuiColorBackground: look.background,
    // Type.
    nutuiFontSizeXxs: px(look.fontSmall),
    nutuiFontSizeXs: px(look.fontSmall),
    nutuiFontSizeS: px(look.fontSmall),
    nutuiFontSizeBase: px(look.fontBase),
    nutuiFontSizeL: px(look.fontLarge),
    nutuiFontSizeXl: px(look.fontLarge),
    nutuiFontSizeXxl: px(look.fontTitle),
    nutuiFontSizeIcon: px(look.fontLarge),
    // Buttons: `normal`/`default` size for most, `large` for a page's main action, `small` still a full target.
    nutuiButtonDefaultHeight: px(look.target),
    nutuiButtonDefaultFontSize: px(look.fontBase),
    nutuiButtonDefaultPadding: `0 ${px(16)}`,
    nutuiButtonDefaultBorderColor: look.border,
    nutuiButtonDefaultColor: look.title,
    nutuiButtonSmallHeight: px(look.target),
    nutuiButtonSmallFontSize: px(look.fontBase),
    nutuiButtonSmallPadding: `0 ${px(12)}`,
    nutuiButtonLargeHeight: px(look.targetLarge),
    nutuiButtonLargeFontSize: px(look.fontLarge),
    nutuiButtonLargeBorderRadius: px(look.radius),
    nutuiButtonBorderRadius: px(look.radius),
    nutuiButtonPrimaryColor: '#ffffff',
    // NutUI's default for a disabled primary button is a pale pink; grey says "not now" plainly.
    nutuiButtonPrimaryDisabled: '#c2c4cc',
    // Cells, inputs, text areas.
    nutuiCellTitleFontSize: px(look.fontBase),
    nutuiCellDescriptionFontSize: px(look.fontSmall),
    nutuiCellExtraFontSize: px(look.fontBase),
    nutuiCellTitleColor: look.title,
    nutuiCellDescriptionColor: look.help,
    nutuiCellExtraColor: look.help,
    nutuiCellLineHeight: '1.5',
    nutuiCellPadding: `${vertical(look.target, look.fontBase)} ${px(16)}`,
    nutuiInputFontSize: px(look.fontBase),
    nutuiInputColor: look.title,
    nutuiInputPadding: `${vertical(look.target, look.fontBase)} ${px(12)}`,
    nutuiTextareaTextColor: look.title,
    nutuiTextareaPadding: px(12),
    // Tabs, steps, tags, rate, dialogs, toasts, action sheets, empty states.
    nutuiTabsTitlesHeight: px(look.target),
    nutuiTabsTitlesFontSize: px(look.fontBase),
    nutuiTabsTitlesItemActiveFontSize: px(look.fontBase),
    nutuiTabsTitlesItemColor: look.help,
    nutuiTabsTitlesItemActiveColor: look.primary,
    nutuiTabsTabLineColor: look.primary,
    nutuiStepsBaseTitleFontSize: px(look.fontBase),
    nutuiStepsBaseDescriptionFontSize: px(look.fontSmall),
    nutuiStepsBaseTitleColor: look.title,
    nutuiStepsBaseDescriptionColor: look.help,
    nutuiStepsVerticalTitleFontSize: px(look.fontBase),
    nutuiStepsVerticalDescriptionFontSize: px(look.fontSmall),
    nutuiTagFontSize: px(look.fontSmall),
    // White on NutUI's default tag colours falls to about 2.4:1; the look's own colours keep 4.5:1 or more.
    nutuiTagPrimaryBackgroundColor: look.primary,
    nutuiTagSuccessBackgroundColor: look.success,
    nutuiTagWarningBackgroundColor: look.warning,
    nutuiTagDangerBackgroundColor: look.danger,
    nutuiTagHeight: px(Math.round(look.fontSmall * 1.6)),
    nutuiRateFontSize: px(look.fontLarge),
    nutuiRateIconColor: '#c25e00',
    nutuiRateIconInactiveColor: look.border,
    nutuiDialogHeaderFontSize: px(look.fontLarge),
    nutuiDialogContentLineHeight: '1.6',
    // The app's empty and failure states are words, not pictures: no image box, readable line spacing.
    nutuiEmptyImageSize: '0px',
    nutuiEmptyImageSmallSize: '0px',
    nutuiEmptyTitleLineHeight: '1.4',
    nutuiEmptyDescriptionLineHeight: '1.6',
    nutuiToastTextFontSize: px(look.fontBase),
    nutuiToastTitleFontSize: px(look.fontLarge),
    nutuiActionsheetItemLineHeight: px(look.target),
    nutuiActionsheetItemColor: look.title,
    nutuiPopupTitleFontSize: px(look.fontLarge),
    nutuiPickerTitleOkFontSize: px(look.fontBase),
    nutuiPickerTitleCancelFontSize: px(look.fontBase),
    nutuiRadioLabelFontSize: px(look.fontBase),
    nutuiCheckboxLabelFontSize: px(look.fontBase),
    nutuiSearchbarFontSize: px(look.fontBase),
    nutuiSearchbarInputHeight: px(look.target),
    // The app's own sheets read these two (card padding, page gutters scale with the look).
    mqTarget: px(look.target),
    mqTargetLarge: px(look.targetLarge),
    mqFontTitle: px(look.fontTitle),
  }
}

export const NORMAL_THEME = nutTheme(NORMAL_LOOK)
export const ELDER_THEME = nutTheme(ELDER_LOOK)
