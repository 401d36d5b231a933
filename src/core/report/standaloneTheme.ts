/**
 * VS Code's theme variables for a report opened outside VS Code (the HTML export). Inside a
 * webview VS Code sets them itself; the file carries the Default Dark Modern, Light Modern and
 * High Contrast values the report uses, switched by the same body classes VS Code sets.
 */
const common = `
  --vscode-font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Ubuntu, "Droid Sans", sans-serif;
  --vscode-font-size: 13px;
  --vscode-font-weight: normal;
  --vscode-editor-font-family: Menlo, Monaco, Consolas, "Droid Sans Mono", "Courier New", monospace;`;

const dark = `
  --vscode-foreground: #cccccc;
  --vscode-descriptionForeground: #9d9d9d;
  --vscode-errorForeground: #f85149;
  --vscode-editor-background: #1f1f1f;
  --vscode-sideBar-background: #181818;
  --vscode-editorWidget-background: #202020;
  --vscode-widget-border: #313131;
  --vscode-panel-border: #2b2b2b;
  --vscode-panel-background: #181818;
  --vscode-widget-shadow: rgba(0, 0, 0, 0.36);
  --vscode-focusBorder: #0078d4;
  --vscode-button-background: #0078d4;
  --vscode-button-foreground: #ffffff;
  --vscode-button-hoverBackground: #026ec1;
  --vscode-button-secondaryBackground: #313131;
  --vscode-button-secondaryForeground: #cccccc;
  --vscode-button-secondaryHoverBackground: #3c3c3c;
  --vscode-input-background: #313131;
  --vscode-input-foreground: #cccccc;
  --vscode-input-border: #3c3c3c;
  --vscode-settings-dropdownBackground: #313131;
  --vscode-settings-dropdownForeground: #cccccc;
  --vscode-settings-dropdownBorder: #3c3c3c;
  --vscode-settings-dropdownListBorder: #454545;
  --vscode-settings-checkboxBackground: #313131;
  --vscode-settings-checkboxBorder: #3c3c3c;
  --vscode-settings-headerBorder: #2b2b2b;
  --vscode-checkbox-background: #313131;
  --vscode-checkbox-border: #3c3c3c;
  --vscode-list-activeSelectionBackground: #04395e;
  --vscode-list-activeSelectionForeground: #ffffff;
  --vscode-list-hoverBackground: #2a2d2e;
  --vscode-list-focusOutline: #0078d4;
  --vscode-list-highlightForeground: #2aaaff;
  --vscode-badge-background: #616161;
  --vscode-badge-foreground: #f8f8f8;
  --vscode-panelTitle-activeBorder: #0078d4;
  --vscode-panelTitle-activeForeground: #cccccc;
  --vscode-panelTitle-inactiveForeground: #9d9d9d;
  --vscode-editorHoverWidget-background: #202020;
  --vscode-editorHoverWidget-border: #454545;
  --vscode-editorWarning-foreground: #cca700;
  --vscode-testing-iconPassed: #73c991;
  --vscode-inputValidation-errorBackground: #5a1d1d;
  --vscode-charts-foreground: #cccccc;
  --vscode-charts-lines: rgba(204, 204, 204, 0.5);
  --vscode-charts-red: #f14c4c;
  --vscode-charts-blue: #3794ff;
  --vscode-charts-yellow: #cca700;
  --vscode-charts-orange: #d18616;
  --vscode-charts-green: #89d185;
  --vscode-charts-purple: #b180d7;`;

const light = `
  --vscode-foreground: #3b3b3b;
  --vscode-descriptionForeground: #717171;
  --vscode-errorForeground: #f85149;
  --vscode-editor-background: #ffffff;
  --vscode-sideBar-background: #f8f8f8;
  --vscode-editorWidget-background: #f8f8f8;
  --vscode-widget-border: #e5e5e5;
  --vscode-panel-border: #e5e5e5;
  --vscode-panel-background: #f8f8f8;
  --vscode-widget-shadow: rgba(0, 0, 0, 0.16);
  --vscode-focusBorder: #005fb8;
  --vscode-button-background: #005fb8;
  --vscode-button-foreground: #ffffff;
  --vscode-button-hoverBackground: #0258a8;
  --vscode-button-secondaryBackground: #e5e5e5;
  --vscode-button-secondaryForeground: #3b3b3b;
  --vscode-button-secondaryHoverBackground: #cccccc;
  --vscode-input-background: #ffffff;
  --vscode-input-foreground: #3b3b3b;
  --vscode-input-border: #cecece;
  --vscode-settings-dropdownBackground: #ffffff;
  --vscode-settings-dropdownForeground: #3b3b3b;
  --vscode-settings-dropdownBorder: #cecece;
  --vscode-settings-dropdownListBorder: #c8c8c8;
  --vscode-settings-checkboxBackground: #f8f8f8;
  --vscode-settings-checkboxBorder: #cecece;
  --vscode-settings-headerBorder: #e5e5e5;
  --vscode-checkbox-background: #f8f8f8;
  --vscode-checkbox-border: #cecece;
  --vscode-list-activeSelectionBackground: #e8e8e8;
  --vscode-list-activeSelectionForeground: #000000;
  --vscode-list-hoverBackground: #f2f2f2;
  --vscode-list-focusOutline: #005fb8;
  --vscode-list-highlightForeground: #0066bf;
  --vscode-badge-background: #cccccc;
  --vscode-badge-foreground: #3b3b3b;
  --vscode-panelTitle-activeBorder: #005fb8;
  --vscode-panelTitle-activeForeground: #3b3b3b;
  --vscode-panelTitle-inactiveForeground: #3b3b3b;
  --vscode-editorHoverWidget-background: #f8f8f8;
  --vscode-editorHoverWidget-border: #c8c8c8;
  --vscode-editorWarning-foreground: #bf8803;
  --vscode-testing-iconPassed: #388a34;
  --vscode-inputValidation-errorBackground: #f2dede;
  --vscode-charts-foreground: #616161;
  --vscode-charts-lines: rgba(97, 97, 97, 0.5);
  --vscode-charts-red: #e51400;
  --vscode-charts-blue: #1a85ff;
  --vscode-charts-yellow: #bf8803;
  --vscode-charts-orange: #d18616;
  --vscode-charts-green: #388a34;
  --vscode-charts-purple: #652d90;`;

const highContrast = `
  --vscode-foreground: #ffffff;
  --vscode-descriptionForeground: rgba(255, 255, 255, 0.7);
  --vscode-errorForeground: #f48771;
  --vscode-editor-background: #000000;
  --vscode-sideBar-background: #000000;
  --vscode-editorWidget-background: #0c141f;
  --vscode-widget-border: #6fc3df;
  --vscode-panel-border: #6fc3df;
  --vscode-panel-background: #000000;
  --vscode-focusBorder: #f38518;
  --vscode-button-background: #000000;
  --vscode-button-foreground: #ffffff;
  --vscode-button-border: #6fc3df;
  --vscode-button-secondaryBackground: #000000;
  --vscode-button-secondaryForeground: #ffffff;
  --vscode-input-background: #000000;
  --vscode-input-foreground: #ffffff;
  --vscode-input-border: #6fc3df;
  --vscode-settings-dropdownBackground: #000000;
  --vscode-settings-dropdownForeground: #ffffff;
  --vscode-settings-dropdownBorder: #6fc3df;
  --vscode-settings-dropdownListBorder: #6fc3df;
  --vscode-settings-checkboxBackground: #000000;
  --vscode-settings-checkboxBorder: #6fc3df;
  --vscode-settings-headerBorder: #6fc3df;
  --vscode-checkbox-background: #000000;
  --vscode-checkbox-border: #6fc3df;
  --vscode-list-activeSelectionBackground: #000000;
  --vscode-list-hoverBackground: #000000;
  --vscode-list-focusOutline: #f38518;
  --vscode-badge-background: #000000;
  --vscode-badge-foreground: #ffffff;
  --vscode-panelTitle-activeBorder: #6fc3df;
  --vscode-panelTitle-activeForeground: #ffffff;
  --vscode-panelTitle-inactiveForeground: #ffffff;
  --vscode-editorHoverWidget-background: #0c141f;
  --vscode-editorHoverWidget-border: #6fc3df;
  --vscode-editorWarning-foreground: #ffd370;
  --vscode-testing-iconPassed: #73c991;
  --vscode-charts-foreground: #ffffff;
  --vscode-charts-lines: rgba(255, 255, 255, 0.5);
  --vscode-charts-red: #f14c4c;
  --vscode-charts-blue: #3794ff;
  --vscode-charts-yellow: #ffd370;
  --vscode-charts-orange: #d18616;
  --vscode-charts-green: #89d185;
  --vscode-charts-purple: #b180d7;`;

export const STANDALONE_THEME_CSS = `body {${common}${dark}
}
body.vscode-light {${light}
}
body.vscode-high-contrast {${highContrast}
}
`;
