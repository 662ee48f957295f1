; ent-arm: the Windows installer (Inno Setup 6.3 or newer).
;
; Build the bundle first (dist\ent-arm, see installers\README.md), then from the repository:
;     iscc installers\ent-arm.iss
; The installer lands in dist\ as ent-arm-<version>-setup.exe; the version is read from the built
; executables (pyproject.toml's version, written into them by ent-arm.spec).
;
; Per-machine install into Program Files (administrator rights). The program folder holds only the
; program: every workstation keeps its data in the user's application-data folder
; (%LOCALAPPDATA%\ent-arm\<workstation>, chosen by platformdirs), which neither an upgrade nor the
; uninstaller touches, so upgrading keeps every database, scan, package and printed form.
; Upgrades replace the old _internal folder whole: a module left over from an older version could
; otherwise still be imported, and an old migration script would confuse Alembic.

#define AppName "ent-arm"
#define Publisher "National Testing Centre"
#define BundleDir AddBackslash(SourcePath) + "..\dist\ent-arm"
#define IconFile AddBackslash(SourcePath) + "..\build\bundle\ent-arm.ico"

#if !FileExists(BundleDir + "\ent-applications.exe")
  #error Build the bundle first: .venv\Scripts\python installers\build_bundle.py (see installers\README.md)
#endif
#ifndef AppVersion
  #define AppVersion GetStringFileInfo(BundleDir + "\ent-applications.exe", "ProductVersion")
#endif

; Inno Setup ships no Kazakh wizard translation. Use one if it is installed with Inno Setup or put
; next to this script (Kazakh.isl); otherwise the wizard speaks English to a Kazakh user while the
; shortcuts, which stay on the machine, still get their Kazakh names.
#if FileExists(AddBackslash(CompilerPath) + "Languages\Kazakh.isl")
  #define KazakhMessages "compiler:Languages\Kazakh.isl"
#elif FileExists(AddBackslash(SourcePath) + "Kazakh.isl")
  #define KazakhMessages AddBackslash(SourcePath) + "Kazakh.isl"
#else
  #define KazakhMessages "compiler:Default.isl"
  #define KazakhWizardInEnglish
#endif

[Setup]
; AppId identifies the product across versions: never change it (installers/bundle_config.py APP_ID).
AppId={{6B0E3C7A-2F5D-4E21-9C1B-8A7D5E0F4C93}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#Publisher}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={cm:GroupName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
CloseApplications=yes
RestartApplications=no
OutputDir=..\dist
OutputBaseFilename={#AppName}-{#AppVersion}-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\ent-base-ppent.exe
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto

[Languages]
Name: "kazakh"; MessagesFile: "{#KazakhMessages}"
Name: "russian"; MessagesFile: "compiler:Languages\Russian.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

#ifdef KazakhWizardInEnglish
[LangOptions]
kazakh.LanguageName=Қазақ тілі
kazakh.LanguageID=$043F
#endif

[CustomMessages]
; Shortcut names are the workstations' own titles from the message catalogue
; (common/workstation.py, common/i18n/locale); tests/test_installers.py keeps them equal.
kazakh.GroupName=ҰБТ АЖО
russian.GroupName=АРМ ЕНТ
english.GroupName=ENT workstations
kazakh.BasePpent=«ҰБТ өткізу пунктінің базасы» АЖО
russian.BasePpent=АРМ «База ППЕНТ»
english.BasePpent=Site database workstation
kazakh.Applications=«ҰБТ өтініштері» АЖО
russian.Applications=АРМ «Заявления ЕНТ»
english.Applications=Applications workstation
kazakh.ScannerCheck=«Сканерді тексеру» АЖО
russian.ScannerCheck=АРМ «Проверка сканера»
english.ScannerCheck=Scanner check workstation
kazakh.Programmer=«Министрлік бағдарламашысы» АЖО
russian.Programmer=АРМ «Программиста Министерства»
english.Programmer=Ministry programmer workstation
kazakh.Certificate=«Сертификат» АЖО
russian.Certificate=АРМ «Сертификат»
english.Certificate=Certificate workstation
kazakh.Nct=Ұлттық тестілеу орталығы
russian.Nct=Национальный центр тестирования
english.Nct=National Testing Centre
kazakh.CommandLine=ҰБТ АЖО командалық жолы
russian.CommandLine=Командная строка АРМ ЕНТ
english.CommandLine=ENT workstations command line
kazakh.NctTask=Ұлттық тестілеу орталығының бағдарламасына белгіше (тек ҰТО үшін)
russian.NctTask=Ярлык программы Национального центра тестирования (только для НЦТ)
english.NctTask=Shortcut to the National Testing Centre's program (NTC only)

[Tasks]
Name: "nct"; Description: "{cm:NctTask}"; Flags: unchecked

[InstallDelete]
Type: filesandordirs; Name: "{app}\_internal"
Type: files; Name: "{app}\ent-*.exe"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
; The windowed executables; every one has a console twin ent-*-cli.exe for commands.
Name: "{group}\{cm:BasePpent}"; Filename: "{app}\ent-base-ppent.exe"
Name: "{group}\{cm:Applications}"; Filename: "{app}\ent-applications.exe"
Name: "{group}\{cm:ScannerCheck}"; Filename: "{app}\ent-scanner-check.exe"
Name: "{group}\{cm:Programmer}"; Filename: "{app}\ent-programmer.exe"
Name: "{group}\{cm:Certificate}"; Filename: "{app}\ent-certificate.exe"
Name: "{group}\{cm:Nct}"; Filename: "{app}\ent-nct.exe"; Tasks: nct
; A command prompt in the program folder, for ent-omr and the ent-*-cli commands.
Name: "{group}\{cm:CommandLine}"; Filename: "{cmd}"; Parameters: "/k ent-omr.exe --help"; WorkingDir: "{app}"
