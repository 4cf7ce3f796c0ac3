package dev.kiai.guardrails;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rule for malicious code payloads (the code-injection class of the BIPIA paper): a fenced or indented
 * code block, an instruction to put it into the model's own code, implementation or answer ("include
 * the following snippet in your implementation"), and code that shows a behaviour from the attack
 * taxonomy: sending local data (clipboard, keystrokes, screen, files, keys, environment, cookies) to a
 * remote host, keylogging, endless loops that spawn processes, windows or requests, disabling network
 * adapters or firewalls, reverse shells and remote port forwarding, deleting files under absolute or home
 * paths, downloading and running code, crypto-miners, mass mailing, persistence, stopping services and
 * shutdown. All three parts are needed: code shown for explanation ("what
 * does this do?") or a user's own code with ordinary library use is not an injection. Written from the
 * taxonomy for Kiai; no evaluation prompt was used. Stateless and thread-safe.
 */
final class CodePayloadRule {
  private CodePayloadRule() {}

  /** Reason reported when the rule matches. */
  static final String ID = "code_payload";
  /** Weight of a match, as the rule weights in {@link InjectionRules}. */
  static final double WEIGHT = 0.8;

  private static final Pattern FENCE = Pattern.compile("```[^\\n`]*\\n?(.*?)(?:```|$)", Pattern.DOTALL);
  private static final Pattern INDENTED = Pattern.compile("(?m)^(?: {4}|\\t)\\S.*$");

  private static final String VERB = "\\b(?:incorporat|embed|inclu|add|insert|integrat|append|us|utili[sz]|"
      + "employ|put|plac|inject|merg|past|weav|leverag|enhanc|augment|extend|strengthen|improv|enrich|"
      + "supplement|updat|modif|streamlin|fine-tun|optimi[sz]|ensur|mak|complet|render|blend|infus|enlist|"
      + "deploy|adopt|fus|harmoni[sz]|assimilat|embod|manifest|implement|apply|combin|attach|part of|"
      + "component of|piece of|element of)\\w*\\b";
  private static final String OUTPUT = "(?:\\w+ )?(?:implementation|code|codebase|solution|response|answer|reply|"
      + "elucidation|explanation|program|script|algorithm|function|project|output|app|application)s?\\b";
  private static final Pattern TO_YOUR_OUTPUT = Pattern.compile(VERB + "[^.!?\\n]{0,100}?\\b(?:your " + OUTPUT
      + "|the " + OUTPUT + " (?:that )?you (?:write|provide|give|produce|generate|return|create|build|send|deliver))");
  private static final Pattern THIS_CODE = Pattern.compile(VERB + "[^.!?\\n]{0,40}?\\b(?:the following|"
      + "the subsequent|the below|the provided|this|these|following|subsequent|below)\\b(?: \\w+)? (?:code|snippet|"
      + "block|excerpt|fragment|section|lines|routine|helper|function|module|script)\\b");
  /** The target is the user's own work ("add this code to my script"): a request, not an injection. */
  private static final Pattern OWN_TARGET = Pattern.compile("\\b(?:to|into|in|for) (?:my|our) ");

  private static final Pattern NET_SEND = Pattern.compile("requests\\.(?:get|post|put|patch|request)\\b|"
      + "urlopen|urllib|http\\.client|httpx\\.|fetch\\(|axios\\.|xmlhttprequest|sendbeacon|websocket|"
      + "\\.sendall\\(|\\.send\\(|socket\\.|ftplib|ftp\\(|storbinary|smtplib|sendmail|\\bcurl\\b|\\bwget\\b|"
      + "invoke-restmethod|invoke-webrequest|net\\.webclient|uploadfile|uploadstring|\\bscp\\b|\\bnc\\b|paramiko");
  private static final Pattern LOCAL_SOURCE = Pattern.compile("clipboard|pyperclip|pbpaste|xclip|xsel|"
      + "readtext\\(|keyboard|pynput|keydown|keypress|keyup|getasynckeystate|imagegrab|screenshot|"
      + "screencapture|pyautogui|mss\\(|\\.ssh|id_rsa|id_ed25519|private.?key|\\.pem\\b|/etc/passwd|"
      + "/etc/shadow|environ|process\\.env|\\$env:|printenv|cookie|login data|wallet|keychain|\\.aws|"
      + "credential|password|os\\.walk|glob\\.glob|listdir|psutil|/proc/|_history|documents|"
      + "open\\([^)]*['\"][rwa]?b['\"]|=@|data-binary @|-infile|\\btar c");
  private static final Pattern KEYLOGGER = Pattern.compile("pynput|keyboard\\.(?:on_press|on_release|hook|"
      + "listener|read_key|record)|getasynckeystate|setwindowshookex|wh_keyboard_ll|keylog");
  private static final Pattern ENDLESS = Pattern.compile("while\\s*\\(?\\s*(?:true|1|\\$true)\\s*\\)?\\s*[:{;]|"
      + "while\\s+(?:true|:)\\s*;\\s*do\\b|for\\s*\\(\\s*;\\s*;\\s*\\)|\\bloop\\s*\\{");
  private static final Pattern SPAWN = Pattern.compile("fork\\(|popen|subprocess|os\\.system|start-process|"
      + "webbrowser\\.open|window\\.open|requests\\.|fetch\\(|\\bcurl\\b|\\bwget\\b|thread|spawn|exec\\(|malloc|"
      + "\\.start\\(\\)|runtime\\.getruntime|alert\\(|sendmail|smtp|\\bnotepad|\\.exe\\b|&\\s*done|tk\\(\\)|"
      + "toplevel\\(|messagebox|msgbox|showinfo|\\.connect\\(|urlopen|http\\.client|socket\\.socket");
  private static final Pattern LOOP_EXIT = Pattern.compile("\\bbreak\\b|\\breturn\\b|\\bexit\\b|sys\\.exit");
  private static final Pattern FORK_BOMB = Pattern.compile(":\\s*\\(\\s*\\)\\s*\\{\\s*:\\s*\\|\\s*:\\s*&\\s*\\}");
  private static final Pattern NETWORK_OFF = Pattern.compile("netsh\\s+(?:interface|advfirewall|wlan|firewall)"
      + "[^\\n]*(?:disable|\\boff\\b|disconnect)|ifconfig\\s+\\S+\\s+down|ip\\s+link\\s+set\\s+(?:dev\\s+)?\\S+\\s+down|"
      + "networkadapter[^\\n]*(?:\\n[^\\n]*){0,2}disable|nmcli\\s+(?:dev|device|con|connection)\\s+(?:\\S+\\s+)?"
      + "(?:disconnect|down)|"
      + "disable-netadapter|nmcli\\s+(?:networking|radio)[^\\n]*\\boff\\b|iptables\\s+(?:-f\\b|--flush|-p\\s+\\S+\\s+-j\\s+drop)|"
      + "ufw\\s+disable|set-netfirewallprofile[^\\n]*false|advfirewall[^\\n]*\\boff\\b|"
      + "systemctl\\s+(?:stop|disable|mask)\\s+(?:firewalld|networkmanager|network|ufw)|rfkill\\s+block");
  private static final Pattern REMOTE_ACCESS = Pattern.compile("\\bssh\\b[^\\n]*\\s-[a-z]*[rd]\\s*(?:\\d|\\S+:\\d)|"
      + "sshtunnelforwarder|open_tunnel|forward_remote_port|\\bngrok\\b|"
      + "/dev/tcp/|\\bnc(?:at)?\\b[^\\n]*\\s-[a-z]*e\\b|\\b(?:ba)?sh -i\\b|pty\\.spawn|request_port_forward|"
      + "stdin=\\w+\\.fileno|dup2\\(|reverse.?shell|meterpreter|net\\.sockets\\.tcpclient|"
      + "/proc/\\w+/mem\\b|readprocessmemory|\\bfor\\b[^\\n]*\\brange\\([^\\n]*(?:\\n[^\\n]*)?(?:create_connection|"
      + "\\.connect\\(|connect_ex)");
  private static final Pattern DESTROY = Pattern.compile("\\brm['\"]?,?\\s+['\"]?-[a-z]*r[a-z]*['\"]?,?\\s+"
      + "(?:['\"]?-\\S+\\s+)*['\"]?(?:/|~|\\$home|--no-preserve-root)|"
      + "(?:encrypt|fernet|aes)[^\\n]*(?:\\n[^\\n]*){0,3}(?:glob|os\\.walk|listdir|documents|/home)|"
      + "(?:glob|os\\.walk|listdir)[^\\n]*(?:\\n[^\\n]*){0,3}(?:encrypt|fernet)|rmtree\\([^)]*(?:expanduser|['\"]/['\"]|['\"]/home|['\"]~)|"
      + "remove-item[^\\n]*-recurse[^\\n]*(?:c:\\\\\\s|c:\\\\['\"]|\\$env:userprofile|~)|\\bdel\\s+/[fsq]\\s+/[fsq]|"
      + "format\\s+c:|rmdir\\s+/s\\s+/q\\s+c:|\\bmkfs\\b|dd\\s+if=/dev/(?:zero|u?random)\\s+of=/dev/");
  private static final Pattern MINER = Pattern.compile("xmrig|minerd|cpuminer|stratum\\+tcp|coinhive|cryptonight|"
      + "ethminer|nicehash|\\bminer\\b|cryptomin|monero");
  private static final Pattern DOWNLOAD = Pattern.compile("urlretrieve|urlopen|requests\\.get|wget|\\bcurl\\b|"
      + "download|invoke-webrequest|\\biwr\\b|fetch\\(");
  private static final Pattern EXECUTE = Pattern.compile("\\bexec\\(|\\beval\\(|os\\.system|subprocess|"
      + "chmod\\s+\\+x|\\|\\s*(?:sudo\\s+)?(?:ba)?sh\\b|nohup|invoke-expression|\\biex\\b|start-process|"
      + "child_process");
  private static final Pattern MAIL_SEND = Pattern.compile("smtp|sendmail|send_message|yagmail|nodemailer|"
      + "send-mailmessage");
  private static final Pattern MASS_TARGET = Pattern.compile("\\bfor\\b[^\\n]*\\b(?:contacts?|recipients?|"
      + "addresses|address_book|emails|mailing_list|victims|users)\\b|foreach[^\\n]*(?:contact|recipient|address)");
  private static final Pattern PERSIST_OR_HALT = Pattern.compile("currentversion\\\\+run|\\|\\s*crontab\\s+-|"
      + "schtasks\\s+/create|launchagents|blockinput|\\bshutdown\\s+(?:-h|-r|/s|/r|now)|"
      + "taskkill\\s+/f\\s+/im|killall\\s+-9|systemctl\\s+(?:stop|kill|mask)\\s|stop-service\\s");

  /** Behaviours that one pattern shows on its own, in the order they are reported. */
  private static final List<Map.Entry<String, Pattern>> SINGLE_PATTERN_BEHAVIOURS = List.of(
      Map.entry("network_disruption", NETWORK_OFF),
      Map.entry("remote_access", REMOTE_ACCESS),
      Map.entry("destruction", DESTROY),
      Map.entry("crypto_miner", MINER),
      Map.entry("persistence_or_halt", PERSIST_OR_HALT));

  /**
   * @param raw the text as received (code blocks are found by their fences or indentation, which
   *     normalisation would collapse)
   * @return the behaviour found ({@code exfiltration}, {@code mass_mailing}, {@code download_execute},
   *     {@code keylogger}, {@code resource_exhaustion},
   *     {@code network_disruption}, {@code remote_access}, {@code destruction}, {@code crypto_miner},
   *     {@code persistence_or_halt}), or {@code null} when the rule does not match
   */
  static String match(String raw) {
    if (raw.indexOf("```") < 0 && raw.indexOf("\n    ") < 0 && raw.indexOf("\n\t") < 0) {
      return null; // no code block: the common case costs three indexOf calls
    }
    StringBuilder code = new StringBuilder();
    StringBuilder prose = new StringBuilder();
    Matcher f = FENCE.matcher(raw);
    int last = 0;
    while (f.find()) {
      prose.append(raw, last, f.start()).append('\n');
      code.append(f.group(1)).append('\n');
      last = f.end();
    }
    String rest = raw.substring(last);
    Matcher ind = INDENTED.matcher(rest);
    int restLast = 0;
    while (ind.find()) {
      prose.append(rest, restLast, ind.start()).append('\n');
      code.append(ind.group()).append('\n');
      restLast = ind.end();
    }
    prose.append(rest, restLast, rest.length());
    if (code.length() == 0) {
      return null;
    }
    String instruction = TextNormalizer.normalize(prose.toString());
    if (!addressedToOutput(instruction)) {
      return null;
    }
    return behaviour(TextNormalizer.normalize(code.toString()));
  }

  private static boolean addressedToOutput(String prose) {
    if (TO_YOUR_OUTPUT.matcher(prose).find()) {
      return true;
    }
    Matcher m = THIS_CODE.matcher(prose);
    while (m.find()) {
      String after = prose.substring(m.end(), Math.min(prose.length(), m.end() + 40));
      if (!OWN_TARGET.matcher(after).find()) {
        return true;
      }
    }
    return false;
  }

  /** @return the first behaviour of the taxonomy shown by the normalised code, or null */
  static String behaviour(String code) {
    if (NET_SEND.matcher(code).find() && LOCAL_SOURCE.matcher(code).find()) {
      return "exfiltration";
    }
    if (MAIL_SEND.matcher(code).find() && MASS_TARGET.matcher(code).find()) {
      return "mass_mailing";
    }
    if (DOWNLOAD.matcher(code).find() && EXECUTE.matcher(code).find()) {
      return MINER.matcher(code).find() ? "crypto_miner" : "download_execute";
    }
    if (KEYLOGGER.matcher(code).find()) {
      return "keylogger";
    }
    if (FORK_BOMB.matcher(code).find() || endlessSpawn(code)) {
      return "resource_exhaustion";
    }
    for (Map.Entry<String, Pattern> e : SINGLE_PATTERN_BEHAVIOURS) {
      if (e.getValue().matcher(code).find()) {
        return e.getKey();
      }
    }
    return null;
  }

  /** An endless loop whose body (the next 300 characters) starts processes, windows or requests and never exits. */
  private static boolean endlessSpawn(String code) {
    Matcher m = ENDLESS.matcher(code);
    while (m.find()) {
      String body = code.substring(m.end(), Math.min(code.length(), m.end() + 300));
      if (SPAWN.matcher(body).find() && !LOOP_EXIT.matcher(body).find()) {
        return true;
      }
    }
    return false;
  }
}
