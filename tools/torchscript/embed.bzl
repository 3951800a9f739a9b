"""torchscript_source: a .torchscript file embedded as a C++ raw string at build time."""

def torchscript_source(name, src, out, symbol):
    """Writes header `out` defining `inline constexpr char symbol[]` = the text of `src`."""
    native.genrule(
        name = name,
        srcs = [src],
        outs = [out],
        cmd = ("(echo '// Generated from $<.'; " +
               "echo 'inline constexpr char %s[] = R\"TS('; cat $<; echo ')TS\";') > $@") % symbol,
    )
