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
	__rb_arm '"\C-x\C-k\C-x\C-a"'
	return "$1"
}
# Enter runs __rb_enter only on the first line of a command, so that a
# heredoc line or a continuation that is a single letter ("n") is text.
__rb_arm() {
	local map
	for map in emacs vi-insert; do
		builtin bind -m "$map" "\"\\C-m\": $1"
		builtin bind -m "$map" "\"\\C-j\": $1"
	done
}
__rb_enter() {
	__rb_arm accept-line
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
		# Nothing runs, so no new prompt re-arms Enter: do it here.
		READLINE_LINE= READLINE_POINT=0
		builtin bind '"\C-x\C-a": redraw-current-line'
		__rb_arm '"\C-x\C-k\C-x\C-a"'
	fi
}
PS0='$(__rb_b)'
PROMPT_COMMAND='__rb_e "$?"'
PS1=@PS1@
for __rb_map in emacs vi-insert; do
	builtin bind -m "$__rb_map" -x '"\C-x\C-k": __rb_enter'
	builtin bind -m "$__rb_map" '"\C-x\C-a": accept-line'
done
unset __rb_map
builtin history -c
