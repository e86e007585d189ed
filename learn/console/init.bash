# What the trainee's shell runs once, before its first prompt (runbook learn).
# Sentinels, framed by \036 and the session's token, tell runbook what the
# shell does; the terminal shows none of them, since runbook takes them out:
#   b:BASE64       a command line was read and starts now (PS0)
#   e:STATUS:PWD   the command ended; a prompt follows (PROMPT_COMMAND)
#   k:KEY          a key typed alone on the prompt line, then Enter; the
#                  shell waits for runbook's reply, "BASE64." of a line to
#                  run instead (r, e) or "." for nothing
HISTCONTROL= HISTIGNORE= HISTTIMEFORMAT=
unset HISTFILE
shopt -s cmdhist lithist
set +H
__rb_tok=@TOKEN@
__rb_b() {
	local h
	h=$(HISTTIMEFORMAT= builtin history 1) || return
	[[ $h =~ ^\ *[0-9]+[\ *]\ (.*)$ ]] || return
	builtin printf '\036%s:b:%s\036' "$__rb_tok" "$(builtin printf %s "${BASH_REMATCH[1]}" | base64 -w0)"
}
__rb_e() {
	builtin printf '\036%s:e:%d:%s\036' "$__rb_tok" "$1" "$PWD"
	return "$1"
}
__rb_enter() {
	builtin bind '"\C-x\C-a": accept-line'
	local key=${READLINE_LINE//[[:space:]]/}
	case $key in [?hsnrqed]) ;; *) return ;; esac
	builtin printf '\036%s:k:%s\036' "$__rb_tok" "$key"
	local reply
	IFS= builtin read -rs -d . reply
	if [[ -n $reply ]]; then
		READLINE_LINE=$(builtin printf %s "$reply" | base64 -d)
		READLINE_POINT=${#READLINE_LINE}
	else
		READLINE_LINE= READLINE_POINT=0
		builtin bind '"\C-x\C-a": redraw-current-line'
	fi
}
PS0='$(__rb_b)'
PROMPT_COMMAND='__rb_e "$?"'
PS1=@PS1@
for __rb_map in emacs vi-insert; do
	builtin bind -m "$__rb_map" -x '"\C-x\C-k": __rb_enter'
	builtin bind -m "$__rb_map" '"\C-x\C-a": accept-line'
	builtin bind -m "$__rb_map" '"\C-m": "\C-x\C-k\C-x\C-a"'
	builtin bind -m "$__rb_map" '"\C-j": "\C-x\C-k\C-x\C-a"'
done
unset __rb_map
builtin history -c
