"""The parts of the patch generator, one module per generated patch or group (make_patches.py
is the entry point; pdfile.py the Pd file writer they all use):

    settings  what the patches share: parameters, messages, files, families, presets
    walk      wae-walk, wae-circle, wae-param (the engine)
    views     wae-plane, wae-legend (the visualisation), the templates, the palette
    explorer  wae-explorer (the GUI)
    gem       wae-gem (the 3-D view)
"""
