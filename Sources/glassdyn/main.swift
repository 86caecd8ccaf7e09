import GlassDynamicsCLI

GlassDyn.main()
