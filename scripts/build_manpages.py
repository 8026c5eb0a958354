"""Regenerate data/manpages/pages.jsonl: common manual pages rendered to plain text.

    python scripts/build_manpages.py

Why carried, not read at run time: the multi-KB routing benchmark must build the same man-page
base on every machine (CI images ship different pages, or none). Each page is rendered with
``man -P cat`` at MANWIDTH=80, trimmed to its NAME, SYNOPSIS, DESCRIPTION and the start of its
OPTIONS (``MAX_CHARS`` a page), and recorded with the Debian package that ships it and that
package's licence (the ``License:`` fields of /usr/share/doc/<package>/copyright).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "data" / "manpages" / "pages.jsonl"
MAX_CHARS = 5000
KEEP = ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "COMMANDS", "EXAMPLES", "EXAMPLE")
PAGES = """
1:ls 1:cp 1:mv 1:rm 1:mkdir 1:rmdir 1:ln 1:touch 1:cat 1:tac 1:head 1:tail 1:less 1:more
1:wc 1:sort 1:uniq 1:cut 1:paste 1:join 1:tr 1:tee 1:split 1:csplit 1:comm 1:diff 1:cmp
1:patch 1:grep 1:sed 1:awk 1:find 1:xargs 1:locate 1:which 1:whereis 1:file 1:stat 1:du
1:df 1:tar 1:gzip 1:gunzip 1:zcat 1:bzip2 1:xz 1:zip 1:unzip 1:zstd 1:cpio 1:chmod 1:chown
1:chgrp 1:umask 1:id 1:whoami 1:groups 1:su 8:sudo 1:passwd 8:useradd 8:userdel 8:usermod
8:groupadd 1:ps 1:top 1:kill 1:pkill 1:pgrep 1:nice 1:renice 1:nohup 1:timeout 1:sleep
1:watch 1:time 1:date 1:cal 1:uptime 1:free 1:uname 1:hostname 1:env 1:printenv 1:echo
1:printf 1:test 1:expr 1:seq 1:yes 1:true 1:basename 1:dirname 1:realpath 1:readlink
1:pwd 1:md5sum 1:sha256sum 1:base64 1:od 1:hexdump 1:xxd 1:strings 1:nl 1:fold 1:fmt 1:pr
1:column 1:expand 1:shuf 1:tsort 1:numfmt 1:factor 1:bc 1:dd 1:sync 1:install 1:shred
1:truncate 1:mktemp 1:split 1:ssh 1:scp 1:sftp 1:ssh-keygen 1:ssh-agent 1:ssh-copy-id
1:rsync 1:curl 1:wget 1:git 1:make 1:gcc 1:ld 1:ar 1:nm 1:objdump 1:strip 1:gdb 1:ldd
1:python3 1:perl 1:bash 1:sh 1:dash 1:crontab 8:cron 1:at 1:screen 1:tmux 1:script
1:journalctl 1:systemctl 1:loginctl 1:hostnamectl 1:timedatectl 8:mount 8:umount
8:fdisk 8:mkfs 8:fsck 8:blkid 8:lsblk 8:swapon 8:ip 8:ping 8:ss 1:netstat 8:route
1:nc 1:host 1:nslookup 1:dig 1:openssl 1:gpg 8:apt 8:apt-get 8:apt-cache 1:dpkg
1:dpkg-query 1:update-alternatives 1:man 1:apropos 1:whatis 1:info 1:lsof 1:strace
1:vmstat 1:iostat 1:dmesg 8:sysctl 8:modprobe 8:lsmod 1:lscpu 8:lspci 8:lsusb 1:nproc
1:chroot 8:chroot 1:flock 1:logger 1:last 1:w 1:who 1:wall 1:write 1:mesg 1:tput 1:stty
1:tty 1:clear 1:reset 1:iconv 1:locale 1:envsubst 1:gettext 1:jq 1:vim 1:nano 1:ed 1:diff3
1:sdiff 1:cksum 1:sum 1:getent 1:getopt 1:pstree 1:killall 1:ionice 1:taskset 1:chattr
1:lsattr 1:setfacl 1:getfacl 1:runuser 1:lastlog 1:zgrep 1:zless 1:bzcat 1:xzcat 1:unxz
1:7z 1:pigz 1:sqlite3 1:psql 1:mysql 1:docker 1:pip 1:pip3 1:node 1:npm 1:ffmpeg 1:convert
5:crontab 5:passwd 5:fstab 5:hosts 5:sshd_config 5:ssh_config 5:sources.list 5:group
5:shadow 5:resolv.conf 5:nsswitch.conf 5:locale 5:os-release 5:adduser.conf
7:regex 7:glob 7:signal 7:hier 7:ascii 7:utf-8 7:environ 7:bash-builtins 1:rename 1:sponge
1:parallel 1:tree 1:htop 1:ncdu 1:pv 1:entr 1:fzf 1:rg 1:fd 1:bat 1:nl 1:sha1sum 1:b2sum
1:unexpand 1:fallocate 1:mkfifo 1:mknod 1:nsenter 1:unshare 1:setsid 1:stdbuf 1:link
1:unlink 1:dircolors 1:vdir 1:dir 1:pathchk 1:chcon 1:runcon 1:sha512sum 1:zdiff
""".split()


def render(section: str, name: str) -> str | None:
    env = {**os.environ, "MANWIDTH": "80", "LC_ALL": "C.UTF-8"}
    run = subprocess.run(
        ["man", "-P", "cat", section, name], capture_output=True, text=True, env=env
    )
    if run.returncode != 0 or not run.stdout.strip():
        return None
    return run.stdout


def trim(text: str) -> str:
    """The kept sections, indentation and blank runs collapsed, cut at ``MAX_CHARS``."""
    out: list[str] = []
    keep = False
    for line in text.splitlines()[1:]:
        if re.fullmatch(r"[A-Z][A-Z /-]+", line.strip()) and not line.startswith(" "):
            keep = line.strip() in KEEP
            if keep:
                out.append(f"\n{line.strip()}")
            continue
        if keep:
            out.append(re.sub(r" {2,}", " ", line.strip()))
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()
    if len(body) > MAX_CHARS:
        body = body[:MAX_CHARS].rsplit("\n", 1)[0]
    return body


def source_of(section: str, name: str) -> tuple[str, str]:
    """The package shipping the page and its licences (``"unknown"`` when not recorded)."""
    where = subprocess.run(["man", "-w", section, name], capture_output=True, text=True)
    path = os.path.realpath(where.stdout.strip())
    owner = subprocess.run(["dpkg", "-S", path], capture_output=True, text=True)
    package = owner.stdout.split(":", 1)[0].strip() if owner.returncode == 0 else "unknown"
    copyright_file = Path("/usr/share/doc") / package / "copyright"
    licences: list[str] = []
    if copyright_file.is_file():
        for line in copyright_file.read_text(errors="replace").splitlines():
            if line.startswith("License:"):
                value = line.split(":", 1)[1].strip()
                if value and value not in licences:
                    licences.append(value)
    return package, "; ".join(licences[:4]) or "see /usr/share/doc/" + package + "/copyright"


def main() -> None:
    rows = []
    seen: set[str] = set()
    for entry in PAGES:
        section, name = entry.split(":", 1)
        key = f"{name}.{section}"
        if key in seen:
            continue
        seen.add(key)
        text = render(section, name)
        if text is None:
            continue
        body = trim(text)
        if len(body) < 200:
            continue
        package, licence = source_of(section, name)
        rows.append(
            {
                "id": key,
                "title": f"{name}({section}) manual page",
                "package": package,
                "licence": licence,
                "text": body,
            }
        )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    print(f"{len(rows)} pages, {OUT.stat().st_size} bytes -> {OUT}")


if __name__ == "__main__":
    main()
