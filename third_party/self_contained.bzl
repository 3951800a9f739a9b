"""self_contained_binary: a binary built with //third_party:self_contained set, so that the
libraries that select on it (HDF5, third_party/hdf5.BUILD) are linked statically into it.

The Pd external is the one such binary: its deken package must load on a Linux that lacks
Debian 12's HDF5 (whose shared library pulls in curl, ssl, kerberos and ldap). Every other
target keeps Debian's shared libraries. Only the external's own dependency graph is built a
second time, in the transitioned configuration."""

def _self_contained_transition_impl(settings, attr):
    return {"//third_party:self_contained": True}

_self_contained_transition = transition(
    implementation = _self_contained_transition_impl,
    inputs = [],
    outputs = ["//third_party:self_contained"],
)

def _self_contained_binary_impl(ctx):
    src = ctx.files.binary[0]
    out = ctx.actions.declare_file(ctx.attr.out)
    ctx.actions.run_shell(
        inputs = [src],
        outputs = [out],
        command = 'cp "$1" "$2" && chmod 0755 "$2"',
        arguments = [src.path, out.path],
        mnemonic = "CopySelfContained",
    )
    return [DefaultInfo(files = depset([out]), runfiles = ctx.runfiles(files = [out]))]

self_contained_binary = rule(
    implementation = _self_contained_binary_impl,
    doc = "Copies `binary`, built with //third_party:self_contained set, to `out`.",
    attrs = {
        "binary": attr.label(cfg = _self_contained_transition, mandatory = True, allow_files = True),
        "out": attr.string(mandatory = True),
        "_allowlist_function_transition": attr.label(
            default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
        ),
    },
)

def _bool_setting_impl(ctx):
    return []

# A boolean build setting only a transition sets (not a command-line flag).
bool_setting = rule(
    implementation = _bool_setting_impl,
    build_setting = config.bool(flag = False),
)
