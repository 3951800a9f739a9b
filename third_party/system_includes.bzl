"""A header folder outside the workspace, put on the include path of every target that
depends on the rule (and on no other target).

`cc_library(includes = ...)` takes only paths inside a repository, and a repository over
/usr would have to declare every header under the folder for the sandbox (LibTorch's C++ API
has about 8,000). This rule hands the absolute folder to dependents as a system include
(-isystem) through CcInfo, with no headers declared.
"""

def _system_includes_impl(ctx):
    return [CcInfo(compilation_context = cc_common.create_compilation_context(
        system_includes = depset(ctx.attr.paths),
    ))]

system_includes = rule(
    implementation = _system_includes_impl,
    attrs = {"paths": attr.string_list(mandatory = True, doc = "absolute folders")},
    doc = "Adds absolute folders as -isystem to the targets that depend on this one.",
)
