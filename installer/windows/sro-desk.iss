; Inno Setup script for SRO Desk: a per-user install that needs no administrator rights.
; Build the bundle first (python installer\build.py), then compile this script with
; Inno Setup 6:  iscc installer\windows\sro-desk.iss
; The installer lands in installer\dist\.

#define AppName "SRO Desk"
#define AppVersion GetEnv("SRO_DESK_VERSION")
#if AppVersion == ""
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6F1C2A43-5B7E-4C1D-9B0A-8E2F1D3C4A51}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=The SRO Desk authors
; Per-user: installs under %LOCALAPPDATA%\Programs, no administrator prompt.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
OutputDir=..\dist
OutputBaseFilename=SRO-Desk-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\sro-desk.ico
UninstallDisplayIcon={app}\SRO Desk.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
LicenseFile=..\..\LICENSE

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; GroupDescription: "Shortcuts:"; Flags: unchecked

[Files]
; The one-folder bundle made by installer\build.py.
Source: "..\dist\SRO Desk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\SRO Desk.exe"
Name: "{group}\{#AppName} sample district"; Filename: "{app}\sro-desk.exe"; Parameters: "demo"
Name: "{group}\Uninstall {#AppName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\SRO Desk.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\SRO Desk.exe"; Description: "Start {#AppName} now"; Flags: nowait postinstall skipifsilent

; The uninstaller removes only the program folder. The district's data file, its backups
; and settings live in the user's own folder (%LOCALAPPDATA%\SRO Desk) or on a network
; drive, and are never touched. There is no file association: SRO Desk files end in .db,
; which many programs use, so files are opened from File > Open or by dropping them on
; the SRO Desk shortcut.
